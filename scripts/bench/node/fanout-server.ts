// The fan-out bench's server (scripts/bench/node/fanout.ts forks it): the embedded server alone in
// this process, so that its CPU is its own and not the receivers'. Posts `{ url }` once listening;
// answers 'mark' by starting a CPU window and 'read' with `{ cpuMs, wallMs }` since the mark.
import { startServer } from '../../../test/helpers/server.js';

const server = await startServer();
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
