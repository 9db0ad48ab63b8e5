// The fan-out bench's server (scripts/bench/node/fanout.ts forks it): the embedded server alone in
// this process, so that its CPU is its own and not the receivers'. Posts `{ url }` once listening;
// answers 'mark' by starting a CPU window and 'read' with `{ cpuMs, wallMs }` since the mark (the
// process's: every thread, the media workers' too). BENCH_MEDIA_WORKERS sets `mediaWorkers` (default: the server's, one per core).
import { startServer } from '../../../test/helpers/server.js';

const workers = process.env.BENCH_MEDIA_WORKERS;
const server = await startServer(workers === undefined || workers === '' ? {} : { mediaWorkers: Number(workers) });
let mark = { cpu: process.cpuUsage(), at: performance.now() };
process.on('message', (m) => {
  if (m === 'mark') mark = { cpu: process.cpuUsage(), at: performance.now() };
  if (m === 'read') {
    const cpu = process.cpuUsage(mark.cpu);
    process.send!({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - mark.at });
  }
});
// The bench gone (or done): close and leave.
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
process.send!({ url: server.url });
