/**
 * The store's repairs: the rows and the queries the repairs capability needs (implemented for both
 * backends in common/repairs.ts). Reached as `store.repairs`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the capability grows
export interface RepairStore {}
