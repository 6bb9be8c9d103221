/**
 * The one paper user every session acts for, and the user documents Kite returns about them:
 * GET /user/profile (profile.json), GET /user/profile/full (full_profile.json) and the
 * session document of POST /session/token (generate_session.json). Keys are in the fixtures'
 * order so a serialised document reads like Kite's.
 */

export interface PaperBankAccount {
  name: string;
  branch: string;
  /** Masked as Kite masks it: `*9999`. */
  account: string;
}

export interface PaperUser {
  user_id: string;
  user_name: string;
  user_shortname: string;
  email: string;
  user_type: string;
  broker: string;
  exchanges: string[];
  products: string[];
  order_types: string[];
  /** Kite sends null when the user has no avatar (profile.json). */
  avatar_url: string | null;
  /** `empty`, `consent` or `physical` (kiteconnect SessionData docs). */
  demat_consent: string;
  /** Masked phone, `*9999`. */
  phone: string;
  /** Masked PAN, `*xxxI`. */
  pan: string;
  twofa_type: string;
  bank_accounts: PaperBankAccount[];
  dp_ids: string[];
}

/** The default paper user. The exchanges, products and order types are generate_session.json's. */
export const DEFAULT_PAPER_USER: Readonly<PaperUser> = {
  user_id: 'PA0001',
  user_name: 'Paper Trader',
  user_shortname: 'Paper',
  email: 'paper@example.invalid',
  user_type: 'individual',
  broker: 'ZERODHA',
  exchanges: ['NSE', 'NFO', 'BFO', 'CDS', 'BSE', 'MCX', 'BCD', 'MF'],
  products: ['CNC', 'NRML', 'MIS', 'BO', 'CO'],
  order_types: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
  avatar_url: null,
  demat_consent: 'physical',
  phone: '*0000',
  pan: '*000P',
  twofa_type: 'totp',
  bank_accounts: [{ name: 'PAPER BANK', branch: '', account: '*0000' }],
  dp_ids: ['0000000000000000'],
};

/** GET /user/profile `data` (profile.json). */
export interface KiteProfile {
  user_id: string;
  user_type: string;
  email: string;
  user_name: string;
  user_shortname: string;
  broker: string;
  exchanges: string[];
  products: string[];
  order_types: string[];
  avatar_url: string | null;
  meta: { demat_consent: string };
}

export function profile(user: PaperUser): KiteProfile {
  return {
    user_id: user.user_id,
    user_type: user.user_type,
    email: user.email,
    user_name: user.user_name,
    user_shortname: user.user_shortname,
    broker: user.broker,
    exchanges: [...user.exchanges],
    products: [...user.products],
    order_types: [...user.order_types],
    avatar_url: user.avatar_url,
    meta: { demat_consent: user.demat_consent },
  };
}

/** GET /user/profile/full `data` (full_profile.json). */
export interface KiteFullProfile {
  user_id: string;
  twofa_type: string;
  user_name: string;
  user_type: string;
  email: string;
  phone: string;
  broker: string;
  bank_accounts: PaperBankAccount[];
  dp_ids: string[];
  products: string[];
  order_types: string[];
  exchanges: string[];
  pan: string;
  user_shortname: string;
  avatar_url: string | null;
  tags: string[];
  password_timestamp: string;
  twofa_timestamp: string;
  meta: { poa: string; silo: string; account_blocks: string[] };
}

/** The paper account has no password or 2FA history; Kite shows the epoch for such fields. */
const NEVER = '1970-01-01 00:00:00';

export function fullProfile(user: PaperUser): KiteFullProfile {
  return {
    user_id: user.user_id,
    twofa_type: user.twofa_type,
    user_name: user.user_name,
    user_type: user.user_type,
    email: user.email,
    phone: user.phone,
    broker: user.broker,
    bank_accounts: user.bank_accounts.map((b) => ({ ...b })),
    dp_ids: [...user.dp_ids],
    products: [...user.products],
    order_types: [...user.order_types],
    exchanges: [...user.exchanges],
    pan: user.pan,
    user_shortname: user.user_shortname,
    avatar_url: user.avatar_url,
    tags: [],
    password_timestamp: NEVER,
    twofa_timestamp: NEVER,
    meta: { poa: user.demat_consent, silo: '', account_blocks: [] },
  };
}

/** POST /session/token `data` (generate_session.json). */
export interface KiteSession {
  user_type: string;
  email: string;
  user_name: string;
  user_shortname: string;
  broker: string;
  exchanges: string[];
  products: string[];
  order_types: string[];
  avatar_url: string | null;
  user_id: string;
  api_key: string;
  access_token: string;
  public_token: string;
  enctoken: string;
  /** Only issued to approved platforms; empty otherwise (generate_session.json). */
  refresh_token: string;
  silo: string;
  /** `YYYY-MM-DD HH:mm:ss` IST. */
  login_time: string;
  meta: { demat_consent: string };
}

export interface SessionTokens {
  api_key: string;
  access_token: string;
  public_token: string;
  enctoken: string;
  login_time: string;
}

export function sessionDocument(user: PaperUser, t: SessionTokens): KiteSession {
  return {
    user_type: user.user_type,
    email: user.email,
    user_name: user.user_name,
    user_shortname: user.user_shortname,
    broker: user.broker,
    exchanges: [...user.exchanges],
    products: [...user.products],
    order_types: [...user.order_types],
    avatar_url: user.avatar_url,
    user_id: user.user_id,
    api_key: t.api_key,
    access_token: t.access_token,
    public_token: t.public_token,
    enctoken: t.enctoken,
    refresh_token: '',
    silo: '',
    login_time: t.login_time,
    meta: { demat_consent: user.demat_consent },
  };
}
