// Shown while the session or the first gateway `ready` is on its way.
import styles from "./splash-screen.module.css";

export function SplashScreen({ label = "Loading Parley…" }: { label?: string }) {
  return (
    <div className={styles.splash} role="status" aria-live="polite">
      <img className={styles.logo} src="/icon.svg" alt="" width={64} height={64} />
      <p className={styles.label}>{label}</p>
    </div>
  );
}
