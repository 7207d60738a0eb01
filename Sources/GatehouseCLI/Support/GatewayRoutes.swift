import Dispatch
import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// `gatehouse serve --policy`: the router is ``GatewayRouterBuilder``'s; this adds the reload on
/// SIGHUP.
enum GatewayRoutes {
    /// SIGHUP reads the policy file again (a broken file keeps the old policy, and the log says why).
    static func reloadOnHangUp(_ holder: PolicyHolder, logger: Logger) -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { holder.reload(logger: logger) }
        source.resume()
        return source
    }

    /// Without a policy there is nothing to reload, but SIGHUP (`systemctl reload`) must not end the
    /// process, as its default action would: it is logged and ignored.
    static func ignoreHangUp(logger: Logger) -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { logger.notice("SIGHUP: nothing to reload (no --policy)") }
        source.resume()
        return source
    }
}
