/**
 * Whether `som trade` shows its confirmation box first: the CLI preference `trade.confirm`
 * (`always`, the default, or `never`) in `$XDG_CONFIG_HOME/som/preferences.json`, kept by conf
 * with som's other preferences (not somd's configuration). Read only when a person at a
 * terminal is about to be asked.
 */
export async function confirmTrades(): Promise<boolean> {
  const { default: Conf } = await import('conf');
  // $XDG_CONFIG_HOME/som/preferences.json: beside somd's config.toml, never mixed with it.
  const preferences = new Conf<Record<string, unknown>>({
    projectName: 'som',
    projectSuffix: '',
    configName: 'preferences',
  });
  return preferences.get('trade.confirm') !== 'never';
}
