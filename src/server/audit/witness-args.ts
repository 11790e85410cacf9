/**
 * The witness a verify command uses (ADR 0007): `--witness=<file>` or `--witness <file>` names one,
 * `--no-witness` checks without; otherwise the configured one (JK_AUDIT_WITNESS_FILE, or beside the
 * PGlite data folder).
 */
export function witnessPathFromArgs(args: readonly string[], configured: string | undefined): string | undefined {
  if (args.includes('--no-witness')) return undefined;
  for (const [index, arg] of args.entries()) {
    if (arg.startsWith('--witness=')) return arg.slice('--witness='.length) || configured;
    if (arg === '--witness') {
      const next = args[index + 1];
      if (!next || next.startsWith('--')) throw new Error('--witness needs a file');
      return next;
    }
  }
  return configured;
}
