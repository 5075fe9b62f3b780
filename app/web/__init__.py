"""The planner's page: a server-rendered form over the /v1 API, with no build step."""
