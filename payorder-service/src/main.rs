fn main() -> anyhow::Result<()> {
    payserver_shared::service::main(
        "payorder-service",
        "payserver payorder-service: pay, payOrders, trade records",
        payorder_service::Application::build,
    )
}
