// A node workload: child processes (spawn, execSync), worker threads, timers, an exit code.
const { execSync, spawn } = require('child_process');
const { Worker } = require('worker_threads');
const out = execSync('echo from-exec-sync').toString().trim();
const w = new Worker('const { parentPort } = require("worker_threads"); let x = 0; for (let i = 0; i < 1e6; i++) x += i; parentPort.postMessage(x);', { eval: true });
w.on('message', (sum) => {
  const c = spawn('sh', ['-c', 'exit 3']);
  c.on('exit', (code) => {
    setTimeout(() => { console.log(`${out} worker ${sum} child ${code}`); process.exit(12); }, 20);
  });
});
