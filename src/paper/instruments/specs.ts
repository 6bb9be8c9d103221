/**
 * What the paper exchange lists, as data: shares, indices, index and stock derivatives, MCX
 * commodities, with the contract facts in force in late 2026 as far as our sources go.
 *
 * Sources and confidence:
 * - Index lot sizes: NSE circular of 2025-10-03 (effective for contracts from Jan 2026):
 *   NIFTY 75 -> 65, BANKNIFTY 35 -> 30 (NDTV Profit, share.market). SENSEX 20 (BSE, from
 *   Nov 2024). No later revision was found; NSE reviews lot sizes twice a year.
 * - Freeze quantities: NSE from 2026-02-01 (ICICI Direct's table of the circulars): NIFTY 1800
 *   (1755 effective: the largest multiple of the 65 lot), BANKNIFTY 600; BSE: SENSEX 1000.
 * - Index tokens 256265 (NIFTY 50), 260105 (NIFTY BANK), 264969 (INDIA VIX), 265 (SENSEX): Kite
 *   instrument rows quoted in many public code bases; all carry segment 9 in the low byte.
 * - Share tokens: NSE exchange tokens; `source` says how each was checked: 'fixture' (Kite's
 *   instrument fixture), 'search' (Kite instrument rows found in public code in this work),
 *   'recalled' (widely published values, not re-checked here). BSE rows use the BSE scrip code
 *   as exchange token, as Kite does (RELIANCE 500325 -> 128083204, checked).
 * - Stock lot sizes: NSE's Oct 2025 revision confirms HDFCBANK 550, BAJAJFINSV 250, BEL 1425,
 *   HINDALCO 700, EICHERMOT 100; a 2026 Kite dump in public code shows RELIANCE 500. The rest
 *   are recalled late-2025 values and may be off by a revision.
 * - Stock freeze quantities: NSE publishes one per stock; we have no current table, so the
 *   paper exchange uses STOCK_FREEZE_LOTS lots.
 * - Strike steps of stock options: approximate NSE intervals for the price level.
 * - MCX: multipliers from MCX contract specifications (CRUDEOIL 100 barrels, NATURALGAS 1,250
 *   mmBtu, GOLD 1 kg quoted per 10 g, GOLDM 100 g, SILVER 30 kg, SILVERM 5 kg). Maximum order
 *   sizes: CRUDEOIL 10,000 barrels and NATURALGAS 20,000 mmBtu per the specifications found;
 *   bullion's (10 kg gold, 600 kg silver) are recalled. Kite counts MCX quantity in lots
 *   (lot_size 1 in its master, `multiplier` in positions, as positions.json shows), so freeze
 *   quantities here are in lots. Daily price limits are base bands (crude 4% per its
 *   specification; bullion and natural gas approximate).
 * - Reference prices: plausible late-2026 levels chosen as simulation seeds (NIFTY near
 *   25,000-26,000 per 2026 option symbols seen in public code; crude near 8,500 per an Aug 2026
 *   option quote). They are inputs to override, not market data.
 */
import type { Exchange } from '../../domain/instrument.js';

export type TokenSource = 'fixture' | 'search' | 'recalled';

export interface EquitySpec {
  symbol: string;
  name: string;
  /** NSE exchange token (instrument_token = token * 256 + 1). */
  nseToken: number;
  source: TokenSource;
  /** BSE scrip code when the share is also listed on BSE in the paper master. */
  bseScripCode?: number;
  /** Present for F&O stocks: futures lot size, and a strike step when options are listed too. */
  fno?: { lotSize: number; strikeStep?: number };
}

/** Lots per order above which a stock-derivative order freezes (simulation value, see above). */
export const STOCK_FREEZE_LOTS = 20;

/** Daily price band of F&O shares and of futures (NSE dynamic bands start at 10%). */
export const FNO_PRICE_BAND_PCT = 10;

/** Daily price band of shares outside F&O (NSE's widest regular band). */
export const NON_FNO_PRICE_BAND_PCT = 20;

export const EQUITIES: readonly EquitySpec[] = [
  {
    symbol: 'RELIANCE',
    name: 'RELIANCE INDUSTRIES',
    nseToken: 2885,
    source: 'search',
    bseScripCode: 500325,
    fno: { lotSize: 500, strikeStep: 10 },
  },
  {
    symbol: 'SBIN',
    name: 'STATE BANK OF INDIA',
    nseToken: 3045,
    source: 'search',
    bseScripCode: 500112,
    fno: { lotSize: 750, strikeStep: 10 },
  },
  {
    symbol: 'INFY',
    name: 'INFOSYS',
    nseToken: 1594,
    source: 'search',
    bseScripCode: 500209,
    fno: { lotSize: 400, strikeStep: 20 },
  },
  {
    symbol: 'TCS',
    name: 'TATA CONSULTANCY SERV LT',
    nseToken: 11536,
    source: 'search',
    bseScripCode: 532540,
    fno: { lotSize: 175, strikeStep: 20 },
  },
  {
    symbol: 'HDFCBANK',
    name: 'HDFC BANK',
    nseToken: 1333,
    source: 'search',
    bseScripCode: 500180,
    fno: { lotSize: 550, strikeStep: 10 },
  },
  {
    symbol: 'ICICIBANK',
    name: 'ICICI BANK',
    nseToken: 4963,
    source: 'search',
    bseScripCode: 532174,
    fno: { lotSize: 700, strikeStep: 10 },
  },
  { symbol: 'ITC', name: 'ITC', nseToken: 1660, source: 'recalled', bseScripCode: 500875, fno: { lotSize: 1600 } },
  {
    symbol: 'LT',
    name: 'LARSEN & TOUBRO',
    nseToken: 11483,
    source: 'recalled',
    bseScripCode: 500510,
    fno: { lotSize: 175 },
  },
  {
    symbol: 'AXISBANK',
    name: 'AXIS BANK',
    nseToken: 5900,
    source: 'recalled',
    bseScripCode: 532215,
    fno: { lotSize: 625 },
  },
  { symbol: 'KOTAKBANK', name: 'KOTAK MAHINDRA BANK', nseToken: 1922, source: 'recalled', fno: { lotSize: 400 } },
  {
    symbol: 'BHARTIARTL',
    name: 'BHARTI AIRTEL',
    nseToken: 10604,
    source: 'recalled',
    bseScripCode: 532454,
    fno: { lotSize: 475 },
  },
  { symbol: 'HINDUNILVR', name: 'HINDUSTAN UNILEVER', nseToken: 1394, source: 'recalled', fno: { lotSize: 300 } },
  { symbol: 'BAJFINANCE', name: 'BAJAJ FINANCE', nseToken: 317, source: 'search', fno: { lotSize: 750 } },
  { symbol: 'MARUTI', name: 'MARUTI SUZUKI INDIA', nseToken: 10999, source: 'recalled', fno: { lotSize: 50 } },
  // Tata Motors Ltd was renamed Tata Motors Passenger Vehicles (symbol TMPV) in Oct 2025 after
  // the demerger; its NSE token is assumed to be TATAMOTORS' (3456, checked), kept on the rename.
  { symbol: 'TMPV', name: 'TATA MOTORS PASS VEH', nseToken: 3456, source: 'search', fno: { lotSize: 800 } },
  {
    symbol: 'TATASTEEL',
    name: 'TATA STEEL',
    nseToken: 3499,
    source: 'recalled',
    bseScripCode: 500470,
    fno: { lotSize: 5500 },
  },
  { symbol: 'WIPRO', name: 'WIPRO', nseToken: 3787, source: 'recalled', fno: { lotSize: 3000 } },
  { symbol: 'HCLTECH', name: 'HCL TECHNOLOGIES', nseToken: 7229, source: 'recalled', fno: { lotSize: 350 } },
  { symbol: 'SUNPHARMA', name: 'SUN PHARMACEUTICAL IND L', nseToken: 3351, source: 'recalled', fno: { lotSize: 350 } },
  { symbol: 'M&M', name: 'MAHINDRA & MAHINDRA', nseToken: 2031, source: 'search', fno: { lotSize: 200 } },
  { symbol: 'BAJAJ-AUTO', name: 'BAJAJ AUTO', nseToken: 16669, source: 'recalled', fno: { lotSize: 75 } },
  { symbol: 'ASIANPAINT', name: 'ASIAN PAINTS', nseToken: 236, source: 'recalled', fno: { lotSize: 250 } },
  { symbol: 'NTPC', name: 'NTPC', nseToken: 11630, source: 'recalled', fno: { lotSize: 1500 } },
  { symbol: 'POWERGRID', name: 'POWER GRID CORP. LTD.', nseToken: 14977, source: 'recalled', fno: { lotSize: 1900 } },
  { symbol: 'ONGC', name: 'OIL AND NATURAL GAS CORP.', nseToken: 2475, source: 'recalled', fno: { lotSize: 2250 } },
  { symbol: 'COALINDIA', name: 'COAL INDIA', nseToken: 20374, source: 'recalled', fno: { lotSize: 1350 } },
  { symbol: 'ULTRACEMCO', name: 'ULTRATECH CEMENT', nseToken: 11532, source: 'recalled', fno: { lotSize: 50 } },
  { symbol: 'TITAN', name: 'TITAN COMPANY', nseToken: 3506, source: 'recalled', fno: { lotSize: 175 } },
  { symbol: 'NESTLEIND', name: 'NESTLE INDIA', nseToken: 17963, source: 'recalled', fno: { lotSize: 500 } },
  { symbol: 'ADANIENT', name: 'ADANI ENTERPRISES', nseToken: 25, source: 'recalled', fno: { lotSize: 300 } },
  { symbol: 'ADANIPORTS', name: 'ADANI PORT & SEZ', nseToken: 15083, source: 'fixture', fno: { lotSize: 475 } },
  { symbol: 'JSWSTEEL', name: 'JSW STEEL', nseToken: 11723, source: 'recalled', fno: { lotSize: 675 } },
  { symbol: 'HINDALCO', name: 'HINDALCO INDUSTRIES', nseToken: 1363, source: 'recalled', fno: { lotSize: 700 } },
  { symbol: 'TECHM', name: 'TECH MAHINDRA', nseToken: 13538, source: 'recalled', fno: { lotSize: 600 } },
  { symbol: 'DRREDDY', name: 'DR. REDDY S LABORATORIES', nseToken: 881, source: 'recalled', fno: { lotSize: 625 } },
  { symbol: 'CIPLA', name: 'CIPLA', nseToken: 694, source: 'recalled', fno: { lotSize: 375 } },
  { symbol: 'EICHERMOT', name: 'EICHER MOTORS', nseToken: 910, source: 'recalled', fno: { lotSize: 100 } },
  { symbol: 'HEROMOTOCO', name: 'HERO MOTOCORP', nseToken: 1348, source: 'recalled', fno: { lotSize: 150 } },
  { symbol: 'BPCL', name: 'BHARAT PETROLEUM CORP LT', nseToken: 526, source: 'recalled', fno: { lotSize: 1975 } },
  { symbol: 'INDUSINDBK', name: 'INDUSIND BANK', nseToken: 5258, source: 'recalled', fno: { lotSize: 700 } },
  { symbol: 'BEL', name: 'BHARAT ELECTRONICS', nseToken: 383, source: 'recalled', fno: { lotSize: 1425 } },
  { symbol: 'TRENT', name: 'TRENT', nseToken: 1964, source: 'recalled', fno: { lotSize: 100 } },
  // Zomato Ltd was renamed Eternal Ltd (symbol ETERNAL) in 2025; token assumed kept.
  { symbol: 'ETERNAL', name: 'ETERNAL', nseToken: 5097, source: 'recalled', fno: { lotSize: 2425 } },
  { symbol: 'BAJAJFINSV', name: 'BAJAJ FINSERV', nseToken: 16675, source: 'recalled', fno: { lotSize: 250 } },
  { symbol: 'GRASIM', name: 'GRASIM INDUSTRIES', nseToken: 1232, source: 'recalled', fno: { lotSize: 250 } },
];

export interface IndexSpec {
  tradingsymbol: string;
  name: string;
  exchange: Exchange;
  instrumentToken: number;
  /** The key of its reference price in `DEFAULT_REFERENCE_PRICES` (the derivatives' underlying). */
  priceKey: string;
}

export const INDICES: readonly IndexSpec[] = [
  { tradingsymbol: 'NIFTY 50', name: 'NIFTY 50', exchange: 'NSE', instrumentToken: 256265, priceKey: 'NIFTY' },
  { tradingsymbol: 'NIFTY BANK', name: 'NIFTY BANK', exchange: 'NSE', instrumentToken: 260105, priceKey: 'BANKNIFTY' },
  { tradingsymbol: 'INDIA VIX', name: 'INDIA VIX', exchange: 'NSE', instrumentToken: 264969, priceKey: 'INDIA VIX' },
  { tradingsymbol: 'SENSEX', name: 'SENSEX', exchange: 'BSE', instrumentToken: 265, priceKey: 'SENSEX' },
];

export interface IndexDerivativeSpec {
  underlying: string;
  exchange: 'NFO' | 'BFO';
  /** tradingsymbol of the index in INDICES. */
  index: string;
  lotSize: number;
  strikeStep: number;
  freezeQuantity: number;
  /** How many weekly-cycle option expiries to list (0 for monthly-only underlyings). */
  weeklyOptionExpiries: number;
  monthlyOptionExpiries: number;
  futuresExpiries: number;
  /** Annualised volatility for seeding option premiums. */
  impliedVol: number;
}

export const INDEX_DERIVATIVES: readonly IndexDerivativeSpec[] = [
  {
    underlying: 'NIFTY',
    exchange: 'NFO',
    index: 'NIFTY 50',
    lotSize: 65,
    strikeStep: 50,
    freezeQuantity: 1800,
    weeklyOptionExpiries: 4,
    monthlyOptionExpiries: 3,
    futuresExpiries: 3,
    impliedVol: 0.12,
  },
  {
    underlying: 'BANKNIFTY',
    exchange: 'NFO',
    index: 'NIFTY BANK',
    lotSize: 30,
    strikeStep: 100,
    freezeQuantity: 600,
    weeklyOptionExpiries: 0,
    monthlyOptionExpiries: 3,
    futuresExpiries: 3,
    impliedVol: 0.14,
  },
  {
    underlying: 'SENSEX',
    exchange: 'BFO',
    index: 'SENSEX',
    lotSize: 20,
    strikeStep: 100,
    freezeQuantity: 1000,
    weeklyOptionExpiries: 4,
    monthlyOptionExpiries: 0,
    futuresExpiries: 3,
    impliedVol: 0.12,
  },
];

/** Stock options: how many monthly expiries to list, and the volatility for seeding premiums. */
export const STOCK_OPTION_EXPIRIES = 2;
export const STOCK_FUTURES_EXPIRIES = 3;
export const STOCK_IMPLIED_VOL = 0.25;

export interface McxSpec {
  symbol: string;
  /** Units per lot (Kite's positions `multiplier`). */
  multiplier: number;
  tickSize: number;
  /** Maximum order size in lots. */
  freezeLots: number;
  circuitBandPct: number;
  futuresExpiries: number;
  options?: { expiries: number; strikeStep: number; tickSize: number; impliedVol: number };
}

export const MCX_COMMODITIES: readonly McxSpec[] = [
  {
    symbol: 'CRUDEOIL',
    multiplier: 100,
    tickSize: 1,
    freezeLots: 100,
    circuitBandPct: 4,
    futuresExpiries: 3,
    options: { expiries: 2, strikeStep: 50, tickSize: 0.1, impliedVol: 0.35 },
  },
  { symbol: 'NATURALGAS', multiplier: 1250, tickSize: 0.1, freezeLots: 16, circuitBandPct: 4, futuresExpiries: 3 },
  { symbol: 'GOLD', multiplier: 100, tickSize: 1, freezeLots: 10, circuitBandPct: 3, futuresExpiries: 3 },
  { symbol: 'GOLDM', multiplier: 10, tickSize: 1, freezeLots: 100, circuitBandPct: 3, futuresExpiries: 3 },
  { symbol: 'SILVER', multiplier: 30, tickSize: 1, freezeLots: 20, circuitBandPct: 4, futuresExpiries: 3 },
  { symbol: 'SILVERM', multiplier: 5, tickSize: 1, freezeLots: 120, circuitBandPct: 4, futuresExpiries: 3 },
];

/** Strikes each side of the money: near expiries (within NEAR_EXPIRY_DAYS) and farther ones. */
export const STRIKES_EACH_SIDE = { near: 30, far: 20, stock: 15, commodity: 20 } as const;
export const NEAR_EXPIRY_DAYS = 35;

/** Annual cost of carry for seeding index and stock futures prices (simulation assumption). */
export const FUTURES_CARRY_RATE = 0.065;

/**
 * Seed prices: index levels, share prices (NSE), MCX futures prices (crude per barrel, natural
 * gas per mmBtu, gold per 10 g, silver per kg). Plausible late-2026 levels, not market data.
 */
export const DEFAULT_REFERENCE_PRICES: Readonly<Record<string, number>> = {
  NIFTY: 25800,
  BANKNIFTY: 58600,
  SENSEX: 84400,
  'INDIA VIX': 13.5,
  RELIANCE: 1520,
  SBIN: 960,
  INFY: 1580,
  TCS: 3150,
  HDFCBANK: 1010,
  ICICIBANK: 1390,
  ITC: 405,
  LT: 3950,
  AXISBANK: 1230,
  KOTAKBANK: 2150,
  BHARTIARTL: 2080,
  HINDUNILVR: 2420,
  BAJFINANCE: 1010,
  MARUTI: 15800,
  TMPV: 390,
  TATASTEEL: 172,
  WIPRO: 252,
  HCLTECH: 1620,
  SUNPHARMA: 1780,
  'M&M': 3650,
  'BAJAJ-AUTO': 8900,
  ASIANPAINT: 2880,
  NTPC: 335,
  POWERGRID: 282,
  ONGC: 246,
  COALINDIA: 385,
  ULTRACEMCO: 11700,
  TITAN: 3850,
  NESTLEIND: 1240,
  ADANIENT: 2380,
  ADANIPORTS: 1480,
  JSWSTEEL: 1140,
  HINDALCO: 790,
  TECHM: 1510,
  DRREDDY: 1260,
  CIPLA: 1520,
  EICHERMOT: 6950,
  HEROMOTOCO: 5450,
  BPCL: 362,
  INDUSINDBK: 860,
  BEL: 408,
  TRENT: 4480,
  ETERNAL: 298,
  BAJAJFINSV: 2040,
  GRASIM: 2790,
  CRUDEOIL: 8000,
  NATURALGAS: 390,
  GOLD: 131000,
  GOLDM: 131000,
  SILVER: 162000,
  SILVERM: 162000,
};
