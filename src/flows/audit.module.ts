// Audit flow: evidence packs of cases, and signed checkpoints of the chains (signed in the background when a key is set).
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AuditCheckpoints } from '../application/audit-checkpoints.use-case';
import { EvidencePack } from '../application/evidence-pack.use-case';
import { ChainAudit } from '../application/ports/chain-audit.port';
import { CheckpointStore } from '../application/ports/checkpoint-store.port';
import { ProviderVerdictStore } from '../application/ports/provider-verdict-store.port';
import { ReviewReadModel } from '../application/ports/review-read-model.port';
import { CheckpointSigningWorker } from '../adapters/background/checkpoint-signing.worker';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { auditConfig } from '../config/audit.config';

const signingWorker: Provider = {
  provide: CheckpointSigningWorker,
  inject: [AuditCheckpoints, auditConfig.KEY],
  useFactory: (checkpoints: AuditCheckpoints, audit: ConfigType<typeof auditConfig>) => new CheckpointSigningWorker(checkpoints, audit.checkpointIntervalMs),
};

@Module({})
export class AuditModule {
  static forRoot(audit: ConfigType<typeof auditConfig>): DynamicModule {
    return {
      module: AuditModule,
      imports: [PersistenceModule],
      providers: [
        { provide: AuditCheckpoints, inject: [CheckpointStore], useFactory: (store: CheckpointStore) => new AuditCheckpoints(store) },
        {
          provide: EvidencePack,
          inject: [ReviewReadModel, ProviderVerdictStore, ChainAudit],
          useFactory: (readModel: ReviewReadModel, verdicts: ProviderVerdictStore, chains: ChainAudit) => new EvidencePack(readModel, verdicts, chains),
        },
        ...(audit.signingKey ? [signingWorker] : []),
      ],
      exports: [AuditCheckpoints, EvidencePack],
    };
  }
}
