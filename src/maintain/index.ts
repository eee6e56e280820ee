/**
 * Maintenance capability: the transitions time brings without a new record (grace periods and
 * listings ending, direct grades lapsing, records' windows closing), applied by day to the subjects
 * due (`credence maintain`, and daily in the background of `serve`). Other capabilities and the
 * ways in import from here only.
 */

export {
  type DailyMaintenance,
  type DailyMaintenanceOptions,
  startDailyMaintenance,
} from './background.ts';
export {
  isMaintenanceDue,
  MAINTAINED_THROUGH,
  type MaintainDeps,
  type MaintainProgress,
  type MaintainSummary,
  runMaintenance,
} from './maintain.ts';
