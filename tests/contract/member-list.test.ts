// Runs the member-list contract in one process and over Redis (two nodes sharing the lists).
import { MemoryMemberListStore } from "../../lib/adapters/memory/member-list-store";
import { RedisMemberListStore } from "../../lib/adapters/redis/member-list-store";
import { createRedisClient } from "../../lib/adapters/redis/client";
import { describeMemberListContract } from "./member-list.contract";
import { redisTarget, silentLog } from "./redis";
import { deleteKeysUnder } from "../support/redis";

describeMemberListContract("in-process (two hubs on one memory store)", async () => {
  const store = new MemoryMemberListStore();
  return [store, store];
});

const redis = redisTarget("MemberListStore");
if (redis) {
  describeMemberListContract(
    "Redis (two nodes, each with its own connections)",
    async () =>
      Promise.all(
        [1, 2].map(async () => new RedisMemberListStore(await redis.client(), createRedisClient(redis.url, "subscriber", silentLog), silentLog, redis.prefix)),
      ),
    { loseLists: () => deleteKeysUnder(redis.url, `${redis.prefix}member-list:`) },
  );
}
