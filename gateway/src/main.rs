fn main() -> anyhow::Result<()> {
    payserver_shared::service::main(
        "gateway",
        "payserver gateway: /payServer prefix, JWT check, routing",
        async |settings| gateway::Application::build(settings),
    )
}
