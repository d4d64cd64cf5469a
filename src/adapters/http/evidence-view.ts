// The evidence pack as the JSON document answered (the payload is spliced in as received).
import { Evidence } from '../../application/evidence-pack.use-case';

export const EVIDENCE_VERSION = 1;

/** Everything but the payload, which goes out as the exact JSON text stored. */
export function evidenceView(evidence: Evidence): object {
  const { payloadJson: _payload, ...transaction } = evidence.detail;
  return {
    evidenceVersion: EVIDENCE_VERSION,
    generatedAt: evidence.generatedAt,
    transaction: { ...transaction, providerVerdicts: evidence.providerVerdicts, shadowVerdicts: evidence.shadowVerdicts },
    chain: evidence.chain,
  };
}
