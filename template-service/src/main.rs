fn main() -> anyhow::Result<()> {
    payserver_shared::service::main(
        "template-service",
        "payserver template-service: payModeTemplates",
        template_service::Application::build,
    )
}
