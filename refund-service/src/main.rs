fn main() -> anyhow::Result<()> {
    payserver_shared::service::main(
        "refund-service",
        "payserver refund-service: refunds as a crash-safe saga",
        refund_service::Application::build,
    )
}
