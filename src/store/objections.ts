/**
 * The store's objections: the rows and the queries the objections capability needs (implemented for both
 * backends in common/objections.ts). Reached as `store.objections`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the capability grows
export interface ObjectionStore {}
