// Rules administration flow: the managed lists (read by analysts, changed by admins).
import { Module } from '@nestjs/common';
import { ManageLists } from '../application/manage-lists.use-case';
import { ManagedListStore } from '../application/ports/managed-list-store.port';
import { PersistenceModule } from '../adapters/persistence/persistence.module';

@Module({
  imports: [PersistenceModule],
  providers: [{ provide: ManageLists, inject: [ManagedListStore], useFactory: (store: ManagedListStore) => new ManageLists(store) }],
  exports: [ManageLists],
})
export class RulesAdminModule {}
