/**
 * Lets a benchmark module also run on its own (`npx tsx bench/<name>.ts
 * [numbers]`): when `moduleUrl` is the script node was started with, runs the
 * benchmark with the numeric command-line arguments and prints its result.
 */
export function runAlone(moduleUrl: string, bench: (args: Array<number | undefined>) => Promise<unknown>): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  const args = process.argv.slice(2).map((a) => Number(a) || undefined);
  bench(args).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
