// The disclosure ledger lives in the domain (src/domain/disclosure-ledger.ts), so the
// digest reads and records the same states as the live page and the as-of answers.
export * from '../domain/disclosure-ledger.ts';
