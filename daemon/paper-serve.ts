import { PaperExchange, type PaperExchangeOptions } from '../src/paper/exchange.js';

export interface ServeResult {
  restRoot: string;
  wsRoot: string;
  now: string;
  seed: number;
  apiSecret: string;
  loginUrl: string;
}

/**
 * `som paper serve`: the paper exchange alone, for the user's own scripts with the kiteconnect
 * client. Runs until SIGINT or SIGTERM. Loaded lazily by the CLI so plain commands stay light.
 */
export async function servePaper(options: PaperExchangeOptions, announce: (r: ServeResult) => void): Promise<void> {
  const exchange = await PaperExchange.start(options);
  announce({
    restRoot: exchange.restRoot,
    wsRoot: exchange.wsRoot,
    now: exchange.clock.now().toISOString(),
    seed: exchange.seed,
    apiSecret: options.apiSecret ?? 'paper',
    loginUrl: `${exchange.restRoot}/connect/login?v=3&api_key=YOUR_KEY`,
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await exchange.close();
}
