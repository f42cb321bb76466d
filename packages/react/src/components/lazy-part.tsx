'use client';
import {
  Component,
  lazy,
  Suspense,
  useState,
  type ComponentType,
  type ErrorInfo,
  type ReactNode,
} from 'react';

/** Renders a part whose code could not be downloaded; `retry` downloads it again. */
export type PartFailed = (retry: () => void) => ReactNode;

/**
 * A part of the kit downloaded on first use (the actions menu, the inline editor). A chunk
 * that fails to download — the reader went offline, a deploy replaced the files — would
 * throw out of `lazy` and unmount the whole chat; here it renders `failed` in the part's
 * place instead, and its retry downloads the chunk again (a rejected `lazy` never retries,
 * so a retry makes a new one for every part of this kind).
 */
export function lazyPart<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): ComponentType<P & { failed: PartFailed }> {
  let Loaded = lazy(load);
  function LazyPart({ failed, ...props }: P & { failed: PartFailed }) {
    const [attempt, setAttempt] = useState(0);
    const Part = Loaded;
    const retry = () => {
      // Another part of this kind may have replaced the failed one already.
      if (Loaded === Part) Loaded = lazy(load);
      setAttempt((n) => n + 1);
    };
    return (
      <PartBoundary key={attempt} failed={failed} retry={retry}>
        <Suspense fallback={null}>
          <Part {...(props as P)} />
        </Suspense>
      </PartBoundary>
    );
  }
  return LazyPart;
}

interface BoundaryProps {
  failed: PartFailed;
  retry: () => void;
  children: ReactNode;
}

class PartBoundary extends Component<BoundaryProps, { error: boolean }> {
  override state = { error: false };

  static getDerivedStateFromError(): { error: boolean } {
    return { error: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Not the app's error: the kit shows it in place. Kept for whoever reads the console.
    console.warn('parley: a part of the chat could not be loaded', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.error ? this.props.failed(this.props.retry) : this.props.children;
  }
}
