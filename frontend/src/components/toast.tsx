import { createContext, use, useCallback, useMemo, useRef, useState, type ReactNode } from 'react'

interface Toast {
  id: number
  message: string
}

const ToastContext = createContext<(message: string) => void>(() => undefined)

/** Short confirmations ("Person saved") in a polite live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const next = useRef(1)
  const notify = useCallback((message: string) => {
    const id = next.current++
    setToasts((t) => [...t.slice(-2), { id, message }])
    window.setTimeout(() => {
      setToasts((t) => t.filter((x) => x.id !== id))
    }, 4500)
  }, [])
  const value = useMemo(() => notify, [notify])
  return (
    <ToastContext value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className="toast">
            {t.message}
          </div>
        ))}
      </div>
    </ToastContext>
  )
}

export function useToast(): (message: string) => void {
  return use(ToastContext)
}
