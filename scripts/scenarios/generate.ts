/**
 * Regenerates the evidence files and the variables of the scenario packages
 * built from code (deterministic: the same code gives the same files).
 *
 *   node scripts/scenarios/generate.ts                 all of them
 *   node scripts/scenarios/generate.ts bitcoin-blackmail
 *
 * Then check with: node src/cli.ts validate-scenario scenarios/<name>
 */
import { buildBankWebcamAttack } from './bank-webcam-attack.ts';
import { buildBitcoinBlackmail } from './bitcoin-blackmail.ts';
import { buildBusinessEmailCompromise } from './business-email-compromise.ts';
import { buildHospitalRansomware } from './hospital-ransomware.ts';
import type { PackageWriter } from './lib/files.ts';
import type { VariableSet } from './lib/variables.ts';

const builders: Record<string, () => { writer: PackageWriter; vars: VariableSet }> = {
  'bank-webcam-attack': () => buildBankWebcamAttack(),
  'bitcoin-blackmail': () => buildBitcoinBlackmail(),
  'business-email-compromise': () => buildBusinessEmailCompromise(),
  'hospital-ransomware': () => buildHospitalRansomware(),
};

const names = process.argv.slice(2);
for (const name of names.length ? names : Object.keys(builders)) {
  const build = builders[name];
  if (!build) {
    console.error(`unknown scenario "${name}" (known: ${Object.keys(builders).join(', ')})`);
    process.exit(2);
  }
  const { writer, vars } = build();
  writer.write(vars);
  console.log(`${name}: ${writer.files.size} files, ${vars.definitions.size} variables written to ${writer.dir}`);
}
