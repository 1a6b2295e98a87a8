import type { VariableSet } from './variables.ts';

// A bitcoin trail: transactions whose inputs spend earlier outputs, where for
// every team inputs = outputs + fee, to the satoshi. Amounts are constants or
// variables; a change output is a derived variable (the `sum` generator), so
// the arithmetic is done per team by the platform, not by the author.

/** A constant ("0.00050000", 8 decimals) or the name of a variable holding an amount in BTC with at most 8 decimals. */
export type Amount = { readonly constant: string } | { readonly variable: string };

export const btc = (value: string): Amount => {
  if (!/^\d+\.\d{8}$/.test(value)) throw new Error(`"${value}" is not an amount in BTC with 8 decimals`);
  return { constant: value };
};
export const amountVar = (variable: string): Amount => ({ variable });

export interface Output {
  readonly address: string;
  readonly amount: Amount;
}
export interface Input extends Output {
  readonly txid: string;
  readonly vout: number;
}
export interface Transaction {
  readonly txid: string;
  /** Block time, as it must appear (UTC). */
  readonly time: string;
  readonly block: number;
  readonly inputs: readonly Input[];
  readonly outputs: readonly Output[];
  readonly fee: Amount;
}

const text = (a: Amount) => ('constant' in a ? a.constant : `{{ ${a.variable} }}`);
const term = (a: Amount, negative: boolean) => ('constant' in a ? (negative ? `-${a.constant}` : a.constant) : `${negative ? '-' : ''}${a.variable}`);

export class Trail {
  readonly transactions: Transaction[] = [];
  readonly #vars: VariableSet;

  constructor(vars: VariableSet) {
    this.#vars = vars;
  }

  /** An output of a transaction of the trail, to spend. */
  output(tx: Transaction, vout: number): Input {
    const o = tx.outputs[vout];
    if (!o) throw new Error(`transaction ${tx.txid} has no output ${vout}`);
    return { txid: tx.txid, vout, ...o };
  }

  /**
   * Adds a transaction spending `inputs`, paying `pay` and, with `change`,
   * sending what is left after the fee to `change.address` as a new variable
   * `change.variable` (inputs − payments − fee).
   */
  add(tx: { txid: string; time: string; block: number; inputs: readonly Input[]; pay: readonly Output[]; fee: Amount; change?: { address: string; variable: string; comment?: string } }): Transaction {
    const all = [...tx.inputs.map((i) => i.amount), ...tx.pay.map((o) => o.amount), tx.fee];
    if (!tx.change && all.every((a) => 'constant' in a)) {
      const sat = (a: Amount) => BigInt(text(a).replace('.', ''));
      const spent = tx.inputs.reduce((s, i) => s + sat(i.amount), 0n);
      const paid = tx.pay.reduce((s, o) => s + sat(o.amount), 0n) + sat(tx.fee);
      if (spent !== paid) throw new Error(`transaction ${tx.txid}: inputs ${spent} sat, outputs and fee ${paid} sat`);
    }
    const outputs = [...tx.pay];
    if (tx.change) {
      const terms = [...tx.inputs.map((i) => term(i.amount, false)), ...tx.pay.map((o) => term(o.amount, true)), term(tx.fee, true)];
      this.#vars.sum(tx.change.variable, terms, { decimals: 8 }, tx.change.comment);
      outputs.push({ address: tx.change.address, amount: amountVar(tx.change.variable) });
    }
    const added: Transaction = { txid: tx.txid, time: tx.time, block: tx.block, inputs: tx.inputs, outputs, fee: tx.fee };
    this.transactions.push(added);
    return added;
  }

  /** A block-explorer style JSON export (amounts as strings in BTC), in the order given. */
  toJson(meta: Readonly<Record<string, string>>): string {
    const txs = this.transactions.map((t) => ({
      txid: t.txid,
      block_height: t.block,
      block_time_utc: t.time,
      inputs: t.inputs.map((i) => ({ prev_txid: i.txid, prev_vout: i.vout, address: i.address, value_btc: text(i.amount) })),
      outputs: t.outputs.map((o, n) => ({ n, address: o.address, value_btc: text(o.amount) })),
      fee_btc: text(t.fee),
    }));
    return `${JSON.stringify({ ...meta, transactions: txs }, null, 2)}\n`;
  }
}
