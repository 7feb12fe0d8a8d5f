/**
 * Child process for the embedded PostgreSQL tests: starts a server on the data directory and
 * port given as arguments, prints its URL as one JSON line, then waits to be killed.
 */
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { silentLogger } from '../../src/log';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir || !port) throw new Error('usage: embedded-child DATA_DIR PORT');
  const server = await startEmbeddedPostgres({ dataDir, port: Number(port), logger: silentLogger });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  // Stay alive until the test kills this process.
  setInterval(() => {}, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
