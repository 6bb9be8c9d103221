/**
 * Contract multipliers: how many units of the quoted price one unit of order quantity is.
 *
 * Kite counts MCX and CDS order quantities in lots (its instrument master gives lot_size 1
 * there) and shows the lot's size as `multiplier` in positions (positions.json: LEADMINI 1000,
 * GOLDGUINEA 1). An order's turnover, on which every charge is levied, is
 * price x quantity x multiplier. NSE, BSE, NFO and BFO quantities are in units: multiplier 1.
 *
 * The instrument master does not carry the multiplier, so it is kept here by underlying (Kite's
 * `name`). Sources: MCX contract specifications (CRUDEOIL 100 barrels, NATURALGAS 1,250 mmBtu,
 * GOLD 1 kg quoted per 10 g, GOLDM 100 g per 10 g, SILVER 30 kg and SILVERM 5 kg quoted per
 * kg) as the paper exchange's specs also use them; Kite's positions.json (LEADMINI,
 * GOLDGUINEA); Zerodha's brokerage calculator ("1 unit denotes 1000 USD", EURO, POUND). The
 * remaining MCX rows are recalled lot sizes over the quotation unit and are unconfirmed.
 * JPYINR is left out on purpose: its quotation (per 100 yen) and Zerodha's description of its
 * unit disagree, so it is better refused than costed wrong. A caller that knows a contract's
 * multiplier passes it with the instrument (`multiplier`), which wins over this table.
 */
export const CONTRACT_MULTIPLIERS: Readonly<Record<'MCX' | 'CDS', Readonly<Record<string, number>>>> = {
  MCX: {
    CRUDEOIL: 100,
    CRUDEOILM: 10, // unconfirmed
    NATURALGAS: 1250,
    NATGASMINI: 250, // unconfirmed
    GOLD: 100,
    GOLDM: 10,
    GOLDGUINEA: 1,
    GOLDPETAL: 1, // unconfirmed
    SILVER: 30,
    SILVERM: 5,
    SILVERMIC: 1, // unconfirmed
    COPPER: 2500, // unconfirmed
    ZINC: 5000, // unconfirmed
    LEAD: 5000, // unconfirmed
    ALUMINIUM: 5000, // unconfirmed
    LEADMINI: 1000,
    ZINCMINI: 1000, // unconfirmed
    ALUMINI: 1000, // unconfirmed
  },
  CDS: {
    USDINR: 1000,
    EURINR: 1000,
    GBPINR: 1000,
  },
};

/** The multiplier for a contract on `exchange` with underlying `name`; null when not known. */
export function contractMultiplier(exchange: string, name: string): number | null {
  if (exchange !== 'MCX' && exchange !== 'CDS') return 1;
  return CONTRACT_MULTIPLIERS[exchange][name] ?? null;
}
