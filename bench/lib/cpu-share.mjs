/**
 * Whose CPU time a run used: the bench's own processes (this Node process, Chromium and every
 * other process it starts) against the rest of the machine, from Linux's /proc counters.
 *
 * Why not the load average: the bench's own Chromium keeps both cores busy, so the 1-minute load at
 * the end of a run is 2–4 whether or not anything else ran. What makes a run's figures less
 * trustworthy is CPU time taken by *other* processes, or by the hypervisor (steal), meanwhile.
 *
 * Own time cannot be read once at the end: Chromium's renderers are not reaped by it when it
 * closes, so their time never reaches this process's "children" counters. So the watch looks at
 * every process descended from this one four times a second, and counts each one's user + system time
 * as last seen. What a descendant uses in its last quarter second is lost from "own", so "other" can only
 * be overstated, never hidden.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const EVERY_MS = 250;

/** Clock ticks per second of /proc's counters (USER_HZ: 100 on every Linux we know of). */
function ticksPerSecond() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every process now: its parent, its start (ticks after boot) and its own user + system ticks. */
function processes() {
  const all = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(name);
    // proc(5) fields 4 (ppid), 14 (utime), 15 (stime), 22 (starttime), counted from field 3.
    if (fields) all.set(Number(name), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), start: fields[19] });
  }
  return all;
}

/** The machine's counters from the first line of /proc/stat, in ticks. */
function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return { busy: user + nice + system + irq + softirq, steal };
}

/**
 * Starts watching; `stop()` returns the CPU use since, in cores (core-seconds per second): the
 * bench's own processes, everything else, and time the hypervisor gave to other guests. Returns
 * undefined where /proc is not Linux's.
 */
export function watchCpu() {
  let first;
  try {
    first = machineTicks();
  } catch {
    return undefined;
  }
  const startedAt = performance.now();
  /** Per process (pid and start, so a reused pid is another), its ticks when first and last seen. */
  const seen = new Map();
  let looked = false;
  const look = () => {
    const all = processes();
    for (const [pid, { ticks, start }] of all) {
      let at = pid;
      while (at > 1 && at !== process.pid) at = all.get(at)?.parent ?? 0;
      if (at !== process.pid) continue;
      const id = `${pid}@${start}`;
      const entry = seen.get(id);
      if (entry) entry.last = ticks;
      // A process started after the first look is counted from 0; one alive then, from that look.
      else seen.set(id, { first: looked ? 0 : ticks, last: ticks });
    }
    looked = true;
  };
  look();
  const timer = setInterval(look, EVERY_MS);
  timer.unref();
  return {
    stop(cores) {
      clearInterval(timer);
      look();
      const last = machineTicks();
      const hz = ticksPerSecond();
      const seconds = (performance.now() - startedAt) / 1000;
      let own = 0;
      for (const { first: from, last: to } of seen.values()) own += to - from;
      const busy = last.busy - first.busy;
      return {
        seconds,
        cores,
        ownCores: own / hz / seconds,
        // Ticks are sampled per CPU by the kernel and per process at its own accounting: a small
        // negative difference is rounding, not another process.
        otherCores: Math.max(0, busy - own) / hz / seconds,
        stealCores: (last.steal - first.steal) / hz / seconds,
      };
    },
  };
}
