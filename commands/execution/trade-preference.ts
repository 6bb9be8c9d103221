/**
 * Whether `som trade` shows its confirmation box first: the CLI preference `trade.confirm`
 * (`always`, the default, or `never`), kept with som's other preferences by conf (not somd's
 * configuration). Read only when a person at a terminal is about to be asked.
 */
export async function confirmTrades(): Promise<boolean> {
  const { default: Conf } = await import('conf');
  const preferences = new Conf<Record<string, unknown>>({ projectName: 'som', projectSuffix: '' });
  return preferences.get('trade.confirm') !== 'never';
}
