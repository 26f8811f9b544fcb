import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Server } from "../domain/types";
import { idSchema, parseInput } from "../domain/validation";
import { requireMember } from "./access";

const schema = z.object({ serverId: idSchema });

export async function getServer(deps: Deps, { actor, input }: UseCaseContext): Promise<Server> {
  const { serverId } = parseInput(schema, input);
  return requireMember(deps, serverId, actor.userId);
}
