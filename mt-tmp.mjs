import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
const [semi, n] = process.argv.slice(2);
const H = process.cwd() + `/.cache/bench/million-home-${n}`;
const TPL = '$albumartist/$album%if{$albumyear, ($albumyear)}/%if{$discnumber,$discnumber-}$tracknumber $title';
const t0 = performance.now();
const child = spawn(process.execPath, [`--max-semi-space-size=${semi}`, '--expose-gc', '--import', './kit/prefer-bundles.ts', 'fuse/daemon.ts', '--home', H, '--template', TPL, '/tmp/m1m'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
let text = '';
child.stdio[3].on('data', (d) => {
  text += d;
  if (text.includes('\n')) {
    const up = (performance.now() - t0) / 1000;
    const st = (k) => Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(new RegExp(k + ':\\s+(\\d+)'))[1]) / 1024;
    const r0 = st('VmRSS');
    setTimeout(() => {
      console.log(`n ${n} semi ${semi}: up ${up.toFixed(2)} s, rss ${r0.toFixed(0)} MB then ${st('VmRSS').toFixed(0)} MB, peak ${st('VmHWM').toFixed(0)} MB; ${text.trim()}`);
      child.kill('SIGTERM'); child.on('exit', () => process.exit(0));
    }, 5000);
  }
});
