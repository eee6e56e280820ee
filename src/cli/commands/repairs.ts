/** `credence repairs`: credit repair applications. */
import type { Command } from 'commander';

export const register = (_program: Command) => {};
