/**
 * `credence backup FILE` and `credence restore FILE`: a SQLite store copied while the server runs,
 * and put back into a data folder only once its audit log verifies.
 *
 * A backup is two files: FILE, the database (SQLite's online backup: the store as one commit left
 * it), and FILE.key, the audit log's signing key (mode 0600). The key never lives in the database
 * (whoever holds the database alone cannot sign a head), so it travels beside it: a restored store
 * whose signed heads cannot be checked against their key would not be a backup.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { LAST_HEAD_FILE, LOG_KEY_FILE, recordStoreCopy, verifyAndKeepAuditLog } from '../../audit/index.ts';
import { type Config, parseConfig } from '../../config.ts';
import { assertStoreExists, cliOperator, openPlatform } from '../../platform/index.ts';
import { ensureDir } from '../../shared/ensure-dir.ts';
import { conflict, invalidInput, notFound } from '../../shared/errors.ts';
import { backupSqliteFile, inspectSqliteStoreFile, type SqliteStoreSummary } from '../../store/index.ts';
import { EXIT, reportError } from '../errors.ts';
import { statInputFile } from '../input-file.ts';

const keyFileOf = (file: string) => `${file}.key`;

const PG_BACKUP = `credence backup copies SQLite stores only. On PostgreSQL, use PostgreSQL's own tools,
and keep the audit log's signing key (in DATA_DIR, never in the database) with the dump:

  pg_dump --format=custom --file=credence.dump "$DATABASE_URL"
  install -m 600 "$DATA_DIR/${LOG_KEY_FILE}" credence.dump.key

To restore, into an empty database, then check the log against its key:

  pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" credence.dump
  install -m 600 credence.dump.key "$DATA_DIR/${LOG_KEY_FILE}"
  credence audit verify
`;

const syncFile = (file: string) => {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

const describe = (s: SqliteStoreSummary) =>
  `${s.records} records, ${s.subjects} subjects, ${s.auditEntries} audit entries, ${(s.bytes / 1048576).toFixed(1)} MiB`;

const sqliteOnly = (config: Config): config is Config & { store: { backend: 'sqlite'; file: string } } => {
  if (config.store.backend === 'sqlite') return true;
  process.stderr.write(PG_BACKUP);
  return false;
};

/**
 * What `backup` will write, checked before anything is written or audited: FILE and FILE.key are
 * absent (or, with --force, regular files), and their folder is one this process can write into.
 * Returns the folder it created for them (undefined when it was there), to remove on failure.
 */
const checkBackupTargets = (target: string, keyTarget: string, force: boolean): string | undefined => {
  for (const f of [target, keyTarget]) {
    const st = lstatSync(f, { throwIfNoEntry: false });
    if (!st) continue;
    if (!st.isFile())
      throw invalidInput(
        `${f} is ${st.isDirectory() ? 'a directory' : 'not a regular file'}: name a file for the backup, such as ${join(f, 'credence.backup')}`,
      );
    if (!force) throw conflict(`${f} already exists: add --force to replace it`);
  }
  const dir = dirname(target);
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory())
    throw invalidInput(`${dir} is not a folder: the backup cannot be written there`);
  const created = st ? undefined : ensureDir(dir);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    if (created) rmSync(created, { recursive: true, force: true });
    throw invalidInput(`cannot write into ${dir}: permission denied`);
  }
  return created;
};

const backup = async (file: string, opts: { force?: boolean }) => {
  let created: string | undefined;
  let done = false;
  try {
    const config = parseConfig(process.env);
    if (!sqliteOnly(config)) {
      process.exitCode = EXIT.unavailable;
      return;
    }
    const target = resolve(file);
    const keyTarget = keyFileOf(target);
    const storeFile = config.store.file;
    await assertStoreExists(config);
    const keyFile = join(config.dataDir, LOG_KEY_FILE);
    if (!existsSync(keyFile))
      throw notFound(`the audit log's key ${keyFile} is missing: a backup without it could not be verified`);
    const key = readFileSync(keyFile);
    created = checkBackupTargets(target, keyTarget, Boolean(opts.force));
    // A backup reads every subject's data: it is audited first, so the copy holds its own entry.
    const platform = await openPlatform(config, { create: false });
    try {
      await recordStoreCopy({
        ctx: platform.ctx(cliOperator(config), 'back up the store'),
        input: { action: 'store.backup', file: target },
      });
    } finally {
      await platform.close();
    }
    const tmpOf = (f: string) =>
      join(dirname(f), `.${basename(f)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const tmp = tmpOf(target);
    const keyTmp = tmpOf(keyTarget);
    const oldKey = tmpOf(`${keyTarget}.old`);
    try {
      // Both files are written in full beside their targets first; then the key is put in place
      // and the database after it. Should the last step fail, the key goes back to what it was:
      // a failed backup leaves neither a copy of the key nor half a backup behind.
      await backupSqliteFile(storeFile, tmp);
      syncFile(tmp);
      const summary = inspectSqliteStoreFile(tmp);
      chmodSync(tmp, 0o600);
      writeFileSync(keyTmp, key, { mode: 0o600, flag: 'wx' });
      syncFile(keyTmp);
      const hadKey = existsSync(keyTarget);
      if (hadKey) renameSync(keyTarget, oldKey);
      renameSync(keyTmp, keyTarget);
      try {
        renameSync(tmp, target);
      } catch (e) {
        if (hadKey) renameSync(oldKey, keyTarget);
        else rmSync(keyTarget, { force: true });
        throw e;
      }
      done = true;
      process.stdout.write(
        `backup written: ${target} (${describe(summary)})\n` +
          `the audit log's signing key: ${keyTarget} (mode 0600; whoever holds it can sign heads: keep it as safe as ${keyFile})\n`,
      );
    } finally {
      for (const f of [tmp, keyTmp, oldKey]) rmSync(f, { force: true });
    }
  } catch (e) {
    process.exitCode = reportError(e);
  } finally {
    if (created && !done) rmSync(created, { recursive: true, force: true });
  }
};

const restore = async (file: string, opts: { force?: boolean; key?: string }) => {
  let staging: string | undefined;
  try {
    const config = parseConfig(process.env);
    if (!sqliteOnly(config)) {
      process.exitCode = EXIT.unavailable;
      return;
    }
    const source = resolve(file);
    const keySource = resolve(opts.key ?? keyFileOf(source));
    if (!existsSync(source)) throw notFound(`${source} does not exist`);
    // A folder given to SQLite is "disk I/O error": refused by name first.
    await statInputFile(source);
    const summary = inspectSqliteStoreFile(source);
    if (!existsSync(keySource))
      throw invalidInput(
        `${keySource} is missing: the audit log's key must come with the backup (name it with --key)`,
      );
    await statInputFile(keySource);
    const storeFile = config.store.file;
    if (existsSync(storeFile) && !opts.force) {
      let held: SqliteStoreSummary | undefined;
      try {
        held = inspectSqliteStoreFile(storeFile);
      } catch {
        throw conflict(`${storeFile} holds something that is not a whole store: add --force to replace it`);
      }
      if (held.records + held.subjects + held.auditEntries > 0)
        throw conflict(
          `${storeFile} already holds a store (${describe(held)}): add --force to replace it (its files are kept beside it)`,
        );
    }
    // Staged in the data folder (the same file system, so the last step is a rename) and verified
    // there with the backup's own key: nothing in place changes unless its log verifies.
    ensureDir(config.dataDir);
    staging = mkdtempSync(join(config.dataDir, '.restore-'));
    const stagedStore = join(staging, basename(storeFile));
    copyFileSync(source, stagedStore);
    syncFile(stagedStore);
    writeFileSync(join(staging, LOG_KEY_FILE), readFileSync(keySource), { mode: 0o600 });
    const env = { ...process.env, DATA_DIR: staging, DATABASE_URL: '' };
    const platform = await openPlatform(parseConfig(env));
    let verified: Awaited<ReturnType<typeof verifyAndKeepAuditLog>>['result'];
    try {
      ({ result: verified } = await verifyAndKeepAuditLog({
        ctx: platform.ctx(cliOperator(config), 'verify a restored store'),
        deps: platform.audit,
      }));
    } finally {
      await platform.close();
    }
    if (!verified.ok)
      throw invalidInput(
        `${source}: its audit log does not verify with ${keySource} (${verified.reason}); nothing was restored`,
      );

    // The replaced store's files, its key and the signer's memory of its heads are kept aside.
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dataFiles = [LOG_KEY_FILE, LAST_HEAD_FILE];
    const storeName = basename(storeFile);
    const aside: string[] = [];
    for (const name of readdirSync(config.dataDir))
      if (dataFiles.includes(name) || name === storeName || name.startsWith(`${storeName}-`)) {
        renameSync(join(config.dataDir, name), join(config.dataDir, `${name}.replaced-${stamp}`));
        aside.push(`${name}.replaced-${stamp}`);
      }
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(config.dataDir, name));
    const restored = await openPlatform(config);
    try {
      await recordStoreCopy({
        ctx: restored.ctx(cliOperator(config), 'restore the store from a backup'),
        input: { action: 'store.restore', file: source },
      });
    } finally {
      await restored.close();
    }
    process.stdout.write(
      `restored into ${storeFile}: ${describe(summary)}; audit log intact (${verified.size} entries, ` +
        `root ${verified.root.toString('hex')}, ${verified.heads} signed heads checked)\n` +
        (aside.length > 0 ? `the replaced files are kept in ${config.dataDir}: ${aside.join(', ')}\n` : ''),
    );
  } catch (e) {
    process.exitCode = reportError(e);
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
};

export const register = (program: Command) => {
  program
    .command('backup')
    .description(
      'copy the SQLite store into FILE while the server may be running (a consistent copy, written atomically), ' +
        "and the audit log's signing key into FILE.key (mode 0600). On PostgreSQL, prints the pg_dump commands and exits 6",
    )
    .argument('<file>', 'the backup to write')
    .option('--force', 'replace FILE and FILE.key when they exist')
    .action(backup);
  program
    .command('restore')
    .description(
      'put the store in FILE (and its key from FILE.key) into DATA_DIR, once its audit log verifies with that key; ' +
        'refuses to replace a store holding data without --force (the replaced files are kept beside it). Stop the server first',
    )
    .argument('<file>', 'a backup written by `credence backup`')
    .option('--key <file>', "the audit log's key (default FILE.key)")
    .option('--force', 'replace a store that holds data')
    .action(restore);
};
