// Runs the PresenceStore contract against every implementation we ship.
import { MemoryPresenceStore } from "../../lib/adapters/memory/presence-store";
import { describePresenceStoreContract } from "./presence-store.contract";

describePresenceStoreContract("MemoryPresenceStore", async () => new MemoryPresenceStore());
