import { Link } from 'react-router-dom'
import { EmptyState } from '../components/ui'
import { useTitle } from '../lib/hooks'

export function NotFoundPage() {
  useTitle('Not found')
  return (
    <div className="page">
      <EmptyState
        title="There is nothing here"
        actions={
          <Link to="/events" className="btn btn-primary">
            Go to events
          </Link>
        }
      >
        <p>The address may be mistyped, or the page may have moved.</p>
      </EmptyState>
    </div>
  )
}
