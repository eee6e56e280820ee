/**
 * Repairs capability: a subject's credit repair applications (product rules 6 and 7): eligibility
 * by severity class, feedback and decision clocks on working days, a granted repair stopping the
 * record counting, and archival of corrected records past their maximum display. Other
 * capabilities and the ways in import from here only.
 */

export {
  applyForRepair,
  decideRepair,
  getRepair,
  getRepairAttachment,
  giveRepairFeedback,
  listOwnRepairs,
  listRepairs,
  REPAIR_FILTERS,
  type Refresh,
  type RepairDeps,
  type RepairFilter,
  type RepairView,
  repairsInFile,
  repairView,
} from './applications.ts';
export { type ArchiveDeps, archiveCorrectedRecords, archivedKind } from './archive.ts';
export { type RepairEligibility, repairEligibility } from './eligibility.ts';
