fn main() -> anyhow::Result<()> {
    payserver_shared::service::main(
        "paymode-service",
        "payserver paymode-service: payModes",
        paymode_service::Application::build,
    )
}
