package httpapi

// routes lists every route the server answers. Who may call what is decided
// by the feature services (they receive the caller); the api group only
// insists that someone is signed in.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
	e.GET("/api/openapi.yaml", s.openAPI)

	v1 := e.Group("/api/v1")
	v1.GET("/setup", s.setupState)
	v1.POST("/setup", s.completeSetup)
	v1.POST("/auth/sign-in", s.signIn)
	v1.POST("/auth/sign-out", s.signOut)
	v1.GET("/auth/me", s.me)
	v1.GET("/auth/oidc", s.oidcInfo)
	v1.GET("/auth/oidc/start", s.oidcStart)
	v1.GET("/auth/oidc/callback", s.oidcCallback)

	v1.GET("/users", s.listUsers)
	v1.POST("/users", s.createUser)
	v1.GET("/users/:id", s.getUser)
	v1.PATCH("/users/:id", s.updateUser)

	v1.GET("/tokens", s.listTokens)
	v1.POST("/tokens", s.createToken)
	v1.DELETE("/tokens/:id", s.revokeToken)

	v1.GET("/settings/levels", s.listLevels)
	v1.PUT("/settings/levels", s.replaceLevels)
	v1.GET("/settings/language", s.languageSettings)
	v1.PUT("/settings/language", s.setLanguageSettings)
	v1.GET("/settings/google", s.googleConnection)
	v1.DELETE("/settings/google", s.disconnectGoogle)
	v1.PUT("/settings/google/service-account", s.connectServiceAccount)
	v1.POST("/settings/google/oauth", s.startGoogleOAuth)
	v1.GET("/settings/google/oauth/callback", s.googleOAuthCallback)
	v1.POST("/settings/google/test", s.testGoogleConnection)

	v1.GET("/people", s.listPeople)
	v1.POST("/people", s.createPerson)
	v1.POST("/people/import", s.importPeople)
	v1.GET("/people/:id", s.getPerson)
	v1.PATCH("/people/:id", s.updatePerson)
	v1.GET("/teams", s.listTeams)
	v1.POST("/people/:id/feed", s.createFeed)
	v1.DELETE("/people/:id/feed", s.revokeFeed)

	v1.POST("/availability", s.findAvailability)
	v1.GET("/bookings", s.listBookings)
	v1.POST("/bookings", s.createBooking)
	v1.GET("/bookings/:id", s.getBooking)
	v1.PATCH("/bookings/:id", s.updateBooking)
	v1.DELETE("/bookings/:id", s.cancelBooking)
	v1.POST("/bookings/:id/retry", s.retryBooking)
	v1.GET("/bookings/:id/invite.ics", s.bookingInvitation)

	v1.GET("/events", s.listEvents)
	v1.POST("/events", s.createEvent)
	v1.GET("/systems", s.listSystems)
	v1.GET("/events/:id", s.getEvent)
	v1.PATCH("/events/:id", s.updateEvent)
	v1.GET("/events/:id/timeline", s.listTimeline)
	v1.POST("/events/:id/timeline", s.addTimelineEntry)
	v1.PATCH("/events/:id/timeline/:entry_id", s.updateTimelineEntry)
	v1.DELETE("/events/:id/timeline/:entry_id", s.deleteTimelineEntry)
	v1.POST("/events/:id/involvements", s.addInvolvement)
	v1.PATCH("/events/:id/involvements/:inv_id", s.updateInvolvement)
	v1.DELETE("/events/:id/involvements/:inv_id", s.deleteInvolvement)
	v1.POST("/events/:id/references", s.addReference)
	v1.PATCH("/events/:id/references/:ref_id", s.updateReference)
	v1.DELETE("/events/:id/references/:ref_id", s.deleteReference)

	v1.GET("/guides", s.listGuides)
	v1.POST("/guides", s.createGuide)
	v1.POST("/guides/import", s.importGuide)
	v1.POST("/guides/render", s.renderGuide)
	v1.GET("/guides/print.css", s.guidePrintCSS)
	v1.GET("/guides/:id", s.getGuide)
	v1.PUT("/guides/:id", s.saveGuide)
	v1.POST("/guides/:id/copy", s.copyGuide)
	v1.POST("/guides/:id/archive", s.archiveGuide)
	v1.POST("/guides/:id/unarchive", s.unarchiveGuide)
	v1.GET("/guides/:id/versions", s.listGuideVersions)
	v1.GET("/guides/:id/versions/:version", s.getGuideVersion)
	v1.GET("/guides/:id/versions/:version/print", s.printGuide)
	v1.GET("/guides/:id/versions/:version/pdf", s.guidePDF)
	v1.GET("/guides/:id/diff", s.diffGuide)
	v1.GET("/guides/:id/export", s.exportGuide)

	v1.POST("/language/check", s.checkLanguage)
	v1.GET("/language/categories", s.languageCategories)

	// Anything else under /api is a 404 problem, not the web app.
	v1.Any("/*", s.notFound)
	e.Any("/api/*", s.notFound)
	// A person's calendar feed, /feeds/<token>.ics: outside /api and with
	// no session, because calendar apps subscribe with the URL alone.
	// Registered before the web app's catch-all.
	e.GET("/feeds/:token", s.calendarFeed)
	e.GET("/*", s.web)
	e.HEAD("/*", s.web)
}
