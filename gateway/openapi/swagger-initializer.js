// Swagger UI for the payserver API. The document comes from the gateway itself
// (`openapi.json` relative to /payServer/docs is /payServer/openapi.json); the online
// validator badge is off, so the page makes no request outside the gateway.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
  });
};
