// Background WAL checkpoints for a SQLite database, on a worker thread with its own connection.
// Plain JavaScript with no project imports, so the thread starts without the TypeScript loader.
//
// The writing connection would otherwise copy the WAL back into the database (and fsync both) in
// the middle of whichever commit crosses the auto-checkpoint threshold. A PASSIVE checkpoint here
// never waits for readers or writers; the writer restarts the WAL from its start once it has all
// been copied back.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next round (or the writer's own safety-net checkpoint) catches up.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
