/**
 * A DevTools CPU profile of one in-page figure, taken during the bench run: how the page's main
 * thread spends the figure's time. The sampling profiler reports "(idle)" while the thread waits
 * (for IndexedDB's storage process, WebCrypto's thread, the browser process), "(program)" for the
 * browser's own work on the thread, "(garbage collector)", and script time per function. The run's
 * bundles are minified, so only these shares are reported; `node bench/profile.mjs <figure>`
 * profiles an unminified bundle with function names.
 */

/**
 * Runs `window.bench[figure](arg)` under the profiler, after `window.bench[prepare]()` (not
 * profiled) when given; shares of the sampled time, in percent.
 */
export async function profileFigure(context, page, figure, arg, prepare) {
  if (prepare) await page.evaluate((name) => window.bench[name](), prepare);
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    await page.evaluate(([name, value]) => window.bench[name](value), [figure, arg]);
    const { profile } = await cdp.send('Profiler.stop');
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const time = { idle: 0, program: 0, gc: 0, script: 0 };
    profile.samples.forEach((id, i) => {
      const name = nodes.get(id).callFrame.functionName;
      const kind = name === '(idle)' ? 'idle' : name === '(program)' ? 'program' : name === '(garbage collector)' ? 'gc' : 'script';
      time[kind] += profile.timeDeltas[i] ?? 0;
    });
    const total = time.idle + time.program + time.gc + time.script;
    const share = (value) => (total > 0 ? (value / total) * 100 : 0);
    return { figure, arg, sampledMs: total / 1000, idle: share(time.idle), program: share(time.program), gc: share(time.gc), script: share(time.script) };
  } finally {
    await cdp.detach();
  }
}
