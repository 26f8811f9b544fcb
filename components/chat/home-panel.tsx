"use client";
// /channels with no server open: pick one of my servers, create one, or join with an invite.
import Link from "next/link";
import { useServersStore } from "../state/servers-store";
import { initialsOf } from "../lib/initials";
import { CreateServerForm } from "./create-server-form";
import styles from "./home-panel.module.css";
import { JoinServerForm } from "./join-server-form";

export function HomePanel() {
  const me = useServersStore((s) => s.me);
  const servers = useServersStore((s) => s.servers);
  const loaded = useServersStore((s) => s.loaded);

  return (
    <main className={styles.home} data-testid="home-panel">
      <div className={styles.inner}>
        <h1 className={styles.title}>{me ? `Welcome, ${me.displayName}!` : "Welcome!"}</h1>
        <section aria-labelledby="your-servers">
          <h2 id="your-servers" className={styles.heading}>Your servers</h2>
          {!loaded ? (
            <p className={styles.muted}>Loading…</p>
          ) : servers.length === 0 ? (
            <p className={styles.muted}>You are not in any server yet. Create one or join a friend&apos;s below.</p>
          ) : (
            <ul className={styles.grid}>
              {servers.map((server) => (
                <li key={server.id}>
                  <Link className={styles.server} href={server.channels[0] ? `/channels/${server.id}/${server.channels[0].id}` : `/channels/${server.id}`}>
                    <span className={styles.serverIcon} aria-hidden="true">{initialsOf(server.name)}</span>
                    <span className={styles.serverName}>{server.name}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <div className={styles.cards}>
          <section className={styles.card} aria-labelledby="home-create">
            <h2 id="home-create" className={styles.heading}>Create a server</h2>
            <CreateServerForm />
          </section>
          <section className={styles.card} aria-labelledby="home-join">
            <h2 id="home-join" className={styles.heading}>Join a server</h2>
            <JoinServerForm />
          </section>
        </div>
      </div>
    </main>
  );
}
