const PREFIX = 'TESSERA_';

/**
 * The `TESSERA_*` variable a mistyped name most likely meant: the closest candidate by edit
 * distance between the parts after `TESSERA_`, when it is within a third of that part's length
 * (at least 2 edits), or a candidate the typed name is the start of (`TESSERA_REDIS`); otherwise
 * `undefined`.
 *
 * @example
 * closestName('TESSERA_ADMINKEY', ['TESSERA_ADMIN_KEY', 'TESSERA_DEMO']) // 'TESSERA_ADMIN_KEY'
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const typed = name.toUpperCase().slice(PREFIX.length);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (!candidate.startsWith(PREFIX)) continue;
    const target = candidate.slice(PREFIX.length);
    const distance = typed.length >= 4 && target.startsWith(typed) ? 0 : editDistance(typed, target);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  const tolerance = Math.max(2, Math.floor(typed.length / 3));
  return best !== undefined && best.distance <= tolerance ? best.candidate : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions each cost one. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
