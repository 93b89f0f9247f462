import { describeReplayStoreContract } from './replay-store-contract.js';
import { everyStore } from './stores.js';

for (const factory of everyStore) describeReplayStoreContract(factory);
