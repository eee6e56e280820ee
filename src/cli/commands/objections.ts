/** `credence objections`: objections to records and their appeals. */
import type { Command } from 'commander';

export const register = (_program: Command) => {};
