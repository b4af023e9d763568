"""Identity providers for the single sign-on tests: a real OpenID Connect provider
(django-oauth-toolkit) and a real SAML 2.0 identity provider (pysaml2), each run by the suite
as its own process on a loopback port. Nothing between the portal and them is mocked."""
