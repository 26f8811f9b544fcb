// The GatewayDirectory contract: every implementation answers the live nodes, sorted; entries
// expire with their lease unless renewed; a node that leaves is gone at once.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import type { GatewayDirectory } from "../../lib/ports/gateway-directory";

export function describeGatewayDirectoryContract(name: string, make: () => Promise<GatewayDirectory>, leaseMs: number): void {
  describe(`GatewayDirectory contract: ${name}`, () => {
    test("announced nodes are live, sorted, each once however often it renews", async () => {
      const directory = await make();
      expect(await directory.live()).toEqual([]);
      await directory.announce("http://b:3001", 60_000);
      await directory.announce("http://a:3001", 60_000);
      await directory.announce("http://b:3001", 60_000);
      expect(await directory.live()).toEqual(["http://a:3001", "http://b:3001"]);
    });

    test("a node that leaves is gone at once; the others stay", async () => {
      const directory = await make();
      await directory.announce("http://a:3001", 60_000);
      await directory.announce("http://b:3001", 60_000);
      await directory.leave("http://a:3001");
      expect(await directory.live()).toEqual(["http://b:3001"]);
      await directory.leave("http://never-there:3001");
      expect(await directory.live()).toEqual(["http://b:3001"]);
    });

    test("an entry not renewed drops out when its lease ends; a renewed one stays", async () => {
      const directory = await make();
      await directory.announce("http://dies:3001", leaseMs);
      await directory.announce("http://lives:3001", leaseMs);
      await sleep(leaseMs / 2);
      await directory.announce("http://lives:3001", leaseMs);
      await sleep(leaseMs / 2 + 100);
      expect(await directory.live()).toEqual(["http://lives:3001"]);
    });
  });
}
