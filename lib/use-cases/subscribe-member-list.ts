import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { MAX_MEMBER_LIST_RANGES, MEMBER_LIST_BLOCK, type RowRange } from "../domain/member-list/types";
import { idSchema, parseInput } from "../domain/validation";
import { requireMembership } from "./access";

const rangeSchema = z
  .tuple([z.number().int().min(0).max(10_000_000), z.number().int().min(0).max(10_000_000)])
  .refine(([start, end]) => start % MEMBER_LIST_BLOCK === 0 && start <= end && end <= start + MEMBER_LIST_BLOCK - 1, {
    message: `each range lies within one block of ${MEMBER_LIST_BLOCK} rows: [start, end] with start a multiple of ${MEMBER_LIST_BLOCK} and start <= end <= start + ${MEMBER_LIST_BLOCK - 1}`,
  });

export const memberListSubscribeSchema = z.object({
  serverId: idSchema,
  ranges: z.array(rangeSchema).max(MAX_MEMBER_LIST_RANGES, `at most ${MAX_MEMBER_LIST_RANGES} ranges`),
});

/** The `members:subscribe` payload, as a client sends it. */
export type MemberListSubscribeInput = z.input<typeof memberListSubscribeSchema>;

/**
 * Which rows of a server's member list a connection watches: 0–3 ranges, each within one block
 * of 100 rows (none: it stops watching). Only members may watch. Nothing is stored here: the
 * gateway's member-list service keeps the subscription and sends the rows.
 */
export async function subscribeMemberList(deps: Deps, { actor, input }: UseCaseContext): Promise<{ serverId: string; ranges: RowRange[] }> {
  const { serverId, ranges } = parseInput(memberListSubscribeSchema, input);
  // The server's own spelling of its id ("07" names server 7): one list per server.
  return { serverId: await requireMembership(deps, serverId, actor.userId), ranges: ranges as RowRange[] };
}
