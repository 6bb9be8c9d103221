/**
 * Trading calendar 2026: NSE, BSE and MCX holidays and special sessions.
 *
 * Sources:
 * - NSE/BSE holidays: reference/india-markets.md section 4 (the exchanges' 2026 circulars);
 *   Jan 15 was added on 2026-01-12 (Maharashtra municipal elections; NSE and BSE circulars,
 *   reported by NDTV Profit, Livemint, India Today). BSE's list is the same as NSE's.
 * - MCX: the MCX 2026 holiday calendar as reported by CNBC Awaaz/News18 (2025-12-30) and
 *   rupeezy.in: morning session closed / evening open on most NSE holidays, both closed on
 *   Jan 26, Apr 3, Oct 2 and Dec 25, evening closed on Jan 1. For Jan 15, press reports say
 *   commodity derivatives kept the evening session (scanx.trade: "Morning session closed").
 * - Budget session (Sun Feb 1): NSE and BSE circulars of 2026-01-16 (standard timings, pre-open
 *   09:00-09:08, normal 09:15-15:30, post-close 15:40-16:00); MCX special live session with
 *   pre-open 08:45 and trading 09:00-17:00 (India Today, WION, 2026-01-31). Currency derivatives
 *   were reported open (caclubindia); their hours are assumed to be the usual 09:00-17:00.
 * - Muhurat trading (Sun Nov 8, Diwali Laxmi Pujan): no 2026 circular was found. The times below
 *   copy the evening pattern of 2024 (pre-open 17:45-18:00, trading 18:00-19:00) and are marked
 *   unconfirmed; square-off offsets copy Zerodha's 2023 Muhurat timetable (equity 14 minutes,
 *   F&O and currency 11, MCX 10 before the end).
 */
import type { YearCalendar } from './types.js';

const EQUITY_HOLIDAYS = [
  { date: '2026-01-15', name: 'Municipal Corporation Election (Maharashtra)' },
  { date: '2026-01-26', name: 'Republic Day' },
  { date: '2026-03-03', name: 'Holi' },
  { date: '2026-03-26', name: 'Shri Ram Navami' },
  { date: '2026-03-31', name: 'Shri Mahavir Jayanti' },
  { date: '2026-04-03', name: 'Good Friday' },
  { date: '2026-04-14', name: 'Dr. Baba Saheb Ambedkar Jayanti' },
  { date: '2026-05-01', name: 'Maharashtra Day' },
  { date: '2026-05-28', name: 'Bakri Id' },
  { date: '2026-06-26', name: 'Muharram' },
  { date: '2026-09-14', name: 'Ganesh Chaturthi' },
  { date: '2026-10-02', name: 'Mahatma Gandhi Jayanti' },
  { date: '2026-10-20', name: 'Dussehra' },
  { date: '2026-11-10', name: 'Diwali Balipratipada' },
  { date: '2026-11-24', name: 'Guru Nanak Jayanti' },
  { date: '2026-12-25', name: 'Christmas' },
] as const;

export const CALENDAR_2026: YearCalendar = {
  year: 2026,
  provisional: false,
  sources: [
    'NSE/BSE holiday circulars for 2026 (reference/india-markets.md section 4)',
    'NSE/BSE circulars of 2026-01-12 (Jan 15 holiday)',
    'MCX holiday calendar 2026 (CNBC Awaaz 2025-12-30; rupeezy.in)',
    'NSE/BSE/MCX circulars on the Budget-day session of 2026-02-01',
  ],
  holidays: {
    NSE: EQUITY_HOLIDAYS,
    BSE: EQUITY_HOLIDAYS,
    MCX: [
      { date: '2026-01-01', name: 'New Year Day', closed: 'evening' },
      { date: '2026-01-15', name: 'Municipal Corporation Election (Maharashtra)', closed: 'morning' },
      { date: '2026-01-26', name: 'Republic Day', closed: 'all' },
      { date: '2026-03-03', name: 'Holi', closed: 'morning' },
      { date: '2026-03-26', name: 'Shri Ram Navami', closed: 'morning' },
      { date: '2026-03-31', name: 'Shri Mahavir Jayanti', closed: 'morning' },
      { date: '2026-04-03', name: 'Good Friday', closed: 'all' },
      { date: '2026-04-14', name: 'Dr. Baba Saheb Ambedkar Jayanti', closed: 'morning' },
      { date: '2026-05-01', name: 'Maharashtra Day', closed: 'morning' },
      { date: '2026-05-28', name: 'Bakri Id', closed: 'morning' },
      { date: '2026-06-26', name: 'Muharram', closed: 'morning' },
      { date: '2026-09-14', name: 'Ganesh Chaturthi', closed: 'morning' },
      { date: '2026-10-02', name: 'Mahatma Gandhi Jayanti', closed: 'all' },
      { date: '2026-10-20', name: 'Dussehra', closed: 'morning' },
      { date: '2026-11-10', name: 'Diwali Balipratipada', closed: 'morning' },
      { date: '2026-11-24', name: 'Guru Nanak Jayanti', closed: 'morning' },
      { date: '2026-12-25', name: 'Christmas', closed: 'all' },
    ],
  },
  specialSessions: [
    {
      date: '2026-02-01',
      name: 'Union Budget (Sunday live session)',
      tradingDay: true,
      timesConfirmed: true,
      hours: {
        NSE: { preOpen: ['09:00', '09:15'], normal: ['09:15', '15:30'], closing: ['15:40', '16:00'] },
        BSE: { preOpen: ['09:00', '09:15'], normal: ['09:15', '15:30'], closing: ['15:40', '16:00'] },
        NFO: { preOpen: ['09:00', '09:15'], normal: ['09:15', '15:30'] },
        BFO: { normal: ['09:15', '15:30'] },
        CDS: { normal: ['09:00', '17:00'] },
        BCD: { normal: ['09:00', '17:00'] },
        MCX: { preOpen: ['08:45', '09:00'], normal: ['09:00', '17:00'] },
      },
      source: 'NSE/BSE circulars 2026-01-16; MCX special session (India Today 2026-01-31)',
    },
    {
      date: '2026-11-08',
      name: 'Muhurat trading (Diwali Laxmi Pujan)',
      tradingDay: false,
      timesConfirmed: false,
      hours: {
        NSE: { preOpen: ['17:45', '18:00'], normal: ['18:00', '19:00'], closing: ['19:10', '19:20'] },
        BSE: { preOpen: ['17:45', '18:00'], normal: ['18:00', '19:00'], closing: ['19:10', '19:20'] },
        NFO: { normal: ['18:00', '19:00'] },
        BFO: { normal: ['18:00', '19:00'] },
        CDS: { normal: ['18:00', '19:00'] },
        BCD: { normal: ['18:00', '19:00'] },
        MCX: { normal: ['18:00', '19:00'] },
      },
      squareOff: { equity: '18:46', fno: '18:49', currency: '18:49', commodity: '18:50' },
      source: 'assumed from the 2024 Muhurat timings (NSE circular, 2024-11-01 session)',
    },
  ],
};
