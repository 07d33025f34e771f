package google

// SetPageSize sets maxResults for events.list, so tests can make Changes
// page with a handful of events.
func (p *Provider) SetPageSize(n int64) { p.pageSize = n }
