// One labelled section of the member list ("Online — 3"), hidden when empty.
import type { Snowflake } from "../../lib/ids/snowflake";
import type { MemberWithPresence } from "./member-list";
import styles from "./member-list.module.css";
import { MemberRow } from "./member-row";

interface MemberGroupProps {
  title: string;
  group: string;
  members: MemberWithPresence[];
  ownerId: Snowflake;
}

export function MemberGroup({ title, group, members, ownerId }: MemberGroupProps) {
  if (members.length === 0) return null;
  return (
    <section className={styles.group} aria-label={`${title}, ${members.length}`} data-testid={`member-group-${group}`}>
      <h3 className={styles.groupTitle}>
        {title} — {members.length}
      </h3>
      <ul className={styles.rows}>
        {members.map(({ member, status }) => (
          <MemberRow key={member.user.id} user={member.user} status={status} isOwner={member.user.id === ownerId} />
        ))}
      </ul>
    </section>
  );
}
