<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="112"/>
        <source>关于 ShopDesk</source>
        <translation>About ShopDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="122"/>
        <location filename="../../desktop/ui/about_dialog.py" line="201"/>
        <source>ShopDesk 客服工作台</source>
        <translation>ShopDesk Agent Workbench</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="127"/>
        <source>版本 {0}</source>
        <translation>Version {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="142"/>
        <location filename="../../desktop/ui/about_dialog.py" line="144"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="150"/>
        <location filename="../../desktop/ui/about_dialog.py" line="202"/>
        <source>数据文件夹</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="151"/>
        <location filename="../../desktop/ui/about_dialog.py" line="202"/>
        <source>日志文件夹</source>
        <translation>Log folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="155"/>
        <location filename="../../desktop/ui/about_dialog.py" line="202"/>
        <source>许可证</source>
        <translation>License</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="161"/>
        <location filename="../../desktop/ui/about_dialog.py" line="217"/>
        <source>复制信息</source>
        <translation>Copy info</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="162"/>
        <source>把版本和文件夹信息复制到剪贴板，方便发给技术支持</source>
        <translation>Copy the version and folders to the clipboard to send to support</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="165"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="201"/>
        <source>平台</source>
        <translation>Platform</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="216"/>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>ChatDelegate</name>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="60"/>
        <source>发送中…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="61"/>
        <source>发送失败，点击重试</source>
        <translation>Not sent, click to retry</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="185"/>
        <source>订单号 %1</source>
        <translation>Order %1</translation>
    </message>
</context>
<context>
    <name>ChatModel</name>
    <message>
        <location filename="../../desktop/ui/chat_model.py" line="103"/>
        <source>昨天 %1</source>
        <translation>Yesterday %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_model.py" line="105"/>
        <source>M月d日</source>
        <comment>QLocale date format, this year</comment>
        <translation>MMM d</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_model.py" line="107"/>
        <source>yyyy年M月d日</source>
        <comment>QLocale date format, another year</comment>
        <translation>MMM d, yyyy</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../desktop/ui/chat_view.py" line="233"/>
        <source>图片</source>
        <translation>Image</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_view.py" line="259"/>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_view.py" line="261"/>
        <source>复制订单号</source>
        <translation>Copy order number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_view.py" line="263"/>
        <source>查看大图</source>
        <translation>View full size</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_view.py" line="266"/>
        <source>重新发送</source>
        <translation>Resend</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_view.py" line="478"/>
        <source>正在加载更早的消息…</source>
        <translation>Loading earlier messages…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_view.py" line="481"/>
        <source>加载更早的消息失败，向上滚动重试</source>
        <translation>Could not load earlier messages, scroll up to retry</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_view.py" line="484"/>
        <source>没有更早的消息了</source>
        <translation>No earlier messages</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/chat_view.py" line="489"/>
        <source>↓ %n 条新消息</source>
        <translation>
            <numerusform>↓ %n new message</numerusform>
            <numerusform>↓ %n new messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatWindow</name>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="99"/>
        <source>收回到主窗口</source>
        <translation>Back to main window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="101"/>
        <source>客户资料</source>
        <translation>Customer info</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="105"/>
        <source>显示或隐藏客户资料（%1）</source>
        <translation>Show or hide customer info (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="183"/>
        <source>%1 - ShopDesk</source>
        <translation>%1 - ShopDesk</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="24"/>
        <source>问题已解决</source>
        <translation>Issue resolved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="25"/>
        <source>买家无回应</source>
        <translation>No response from customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="26"/>
        <source>重复咨询</source>
        <translation>Duplicate inquiry</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="27"/>
        <source>已转其他渠道处理</source>
        <translation>Handled in another channel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="34"/>
        <location filename="../../desktop/ui/close_dialog.py" line="48"/>
        <source>结束会话</source>
        <translation>End chat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="36"/>
        <source>结束与「%1」的会话</source>
        <translation>End the chat with “%1”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="42"/>
        <source>结束原因</source>
        <translation>Reason for ending</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="43"/>
        <source>邀请买家评价</source>
        <translation>Invite the customer to rate</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/close_dialog.py" line="49"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../desktop/ui/composer.py" line="106"/>
        <source>发送</source>
        <translation>Send</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="111"/>
        <source>图片</source>
        <translation>Image</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="112"/>
        <source>发送电脑上的图片（也可以直接粘贴或拖进输入框）</source>
        <translation>Send an image from this computer (or paste or drop it into the message box)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="115"/>
        <source>快捷短语</source>
        <translation>Quick replies</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="116"/>
        <source>打开快捷短语（输入框里输入 / 也可以）</source>
        <translation>Open quick replies (or type / in the message box)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="166"/>
        <source>按 Enter 发送</source>
        <translation>Enter sends</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="167"/>
        <source>按 Ctrl+Enter 发送</source>
        <translation>Ctrl+Enter sends</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="261"/>
        <source>会话已结束，无法发送</source>
        <translation>The chat has ended, messages cannot be sent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="264"/>
        <source>消息超过 %1 字上限（当前 %2 字），请删减后再发送</source>
        <translation>The message is longer than %1 characters (now %2), please shorten it</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="359"/>
        <source>会话已结束</source>
        <translation>Chat ended</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="361"/>
        <source>输入消息，Enter 发送，Shift+Enter 换行，/ 快捷短语</source>
        <translation>Type a message: Enter sends, Shift+Enter for a new line, / for quick replies</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="363"/>
        <source>输入消息，Ctrl+Enter 发送，Enter 换行，/ 快捷短语</source>
        <translation>Type a message: Ctrl+Enter sends, Enter for a new line, / for quick replies</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="467"/>
        <source>未选择订单</source>
        <translation>no order selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="468"/>
        <source>没有买家昵称</source>
        <translation>no customer nickname</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="469"/>
        <source>没有客服姓名</source>
        <translation>no agent name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="472"/>
        <source>%1：%2 未填写</source>
        <translation>%1: %2 left empty</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="475"/>
        <source>未知占位符：%1</source>
        <translation>Unknown placeholder: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="476"/>
        <source>；</source>
        <comment>between the problems found</comment>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="481"/>
        <source>选择图片</source>
        <translation>Choose an image</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="483"/>
        <source>图片 (*.png *.jpg *.jpeg *.gif *.bmp *.webp)</source>
        <translation>Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="493"/>
        <source>无法读取这个文件：不是图片，或图片已损坏</source>
        <translation>Cannot read this file: it is not an image, or the image is damaged</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/composer.py" line="509"/>
        <source>这张图片无法发送（无法读取或无法压缩到限制以内）</source>
        <translation>This image cannot be sent (unreadable, or too large even when compressed)</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../desktop/ui/conversation_delegate.py" line="41"/>
        <source>独立窗口</source>
        <translation>Detached</translation>
    </message>
</context>
<context>
    <name>ConversationListPanel</name>
    <message>
        <location filename="../../desktop/ui/conversation_list_panel.py" line="107"/>
        <source>搜索昵称、消息或拼音</source>
        <translation>Search nickname, message or pinyin</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_list_panel.py" line="126"/>
        <source>接入选中的买家</source>
        <translation>Accept the selected customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_list_panel.py" line="189"/>
        <source>进行中</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_list_panel.py" line="190"/>
        <source>排队</source>
        <translation>Queue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_list_panel.py" line="191"/>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/conversation_list_panel.py" line="195"/>
        <source>未读消息 %n 条</source>
        <translation>
            <numerusform>%n unread message</numerusform>
            <numerusform>%n unread messages</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_list_panel.py" line="236"/>
        <source>接入</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_list_panel.py" line="238"/>
        <source>收回到主窗口</source>
        <translation>Back to main window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_list_panel.py" line="240"/>
        <source>在新窗口中打开</source>
        <translation>Open in new window</translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="66"/>
        <source>买家评价 %1（%2 分）</source>
        <translation>Customer rating %1 (%2/5)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="68"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="74"/>
        <source>同事转接留言：%1</source>
        <translation>Note from colleague: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="170"/>
        <source>接入</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="172"/>
        <source>转接</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="176"/>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="283"/>
        <source>收回</source>
        <translation>Attach</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="284"/>
        <source>收回到主窗口（Ctrl+Shift+D）</source>
        <translation>Back to main window (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="286"/>
        <source>新窗口</source>
        <translation>New window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="287"/>
        <source>在新窗口中打开（Ctrl+Shift+D）</source>
        <translation>Open in new window (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="378"/>
        <source>对方正在输入…</source>
        <translation>Customer is typing…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="411"/>
        <source>进行中</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="412"/>
        <source>排队中</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="413"/>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="419"/>
        <source>买家在排队，接入后才能回复</source>
        <translation>The customer is in the queue: accept the chat to reply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="421"/>
        <source>这个会话由其他客服接待</source>
        <translation>Another agent is handling this chat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="491"/>
        <source>短语里有未填写的内容，已放入输入框，请补全后发送</source>
        <translation>The quick reply has blanks; it is in the message box, fill them in before sending</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation_pane.py" line="493"/>
        <source>短语含有敏感词，已放入输入框，请确认后发送</source>
        <translation>The quick reply contains restricted words; it is in the message box, check it before sending</translation>
    </message>
</context>
<context>
    <name>ConversationStatus</name>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="63"/>
        <source>排队中</source>
        <translation>Queued</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="65"/>
        <source>进行中</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="66"/>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <location filename="../../desktop/ui/crash_handler.py" line="255"/>
        <source>ShopDesk 出错了</source>
        <translation>ShopDesk ran into a problem</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_handler.py" line="258"/>
        <source>很抱歉，ShopDesk 出现了意外错误。

错误报告已保存到：
{0}

如果问题反复出现，请把这个文件发给技术支持。</source>
        <translation>Sorry, ShopDesk ran into an unexpected error.

An error report was saved to:
{0}

If this keeps happening, please send that file to support.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_handler.py" line="266"/>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_handler.py" line="268"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="171"/>
        <source>暂无历史会话</source>
        <translation>No past chats</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="196"/>
        <location filename="../../desktop/ui/customer_panel.py" line="232"/>
        <source>暂无客户资料</source>
        <translation>No customer info</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="206"/>
        <source>首次访问 {0}</source>
        <translation>First visit {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="207"/>
        <location filename="../../desktop/ui/customer_panel.py" line="208"/>
        <source>未提供</source>
        <translation>Not provided</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/customer_panel.py" line="209"/>
        <source>%n 笔</source>
        <translation>
            <numerusform>%n order</numerusform>
            <numerusform>%n orders</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="227"/>
        <source>正在加载客户资料…</source>
        <translation>Loading customer info…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="235"/>
        <source>加载客户资料失败：{0}</source>
        <translation>Could not load customer info: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="264"/>
        <source>手机</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="265"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="266"/>
        <source>订单数</source>
        <translation>Orders</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="267"/>
        <source>累计消费</source>
        <translation>Total spent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="278"/>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="285"/>
        <source>历史会话</source>
        <translation>Past chats</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_panel.py" line="315"/>
        <source>（无消息）</source>
        <translation>(no messages)</translation>
    </message>
</context>
<context>
    <name>DesktopAlerts</name>
    <message numerus="yes">
        <location filename="../../desktop/ui/desktop_alerts.py" line="61"/>
        <source>%n 个会话超时未回复</source>
        <translation>
            <numerusform>%n chat overdue for a reply</numerusform>
            <numerusform>%n chats overdue for a reply</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/desktop_alerts.py" line="63"/>
        <source>%1 已等待 %2</source>
        <translation>%1 has waited %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/desktop_alerts.py" line="65"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/desktop_alerts.py" line="66"/>
        <source>（%n条新消息）</source>
        <translation>
            <numerusform> (%n new message)</numerusform>
            <numerusform> (%n new messages)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/desktop_alerts.py" line="68"/>
        <source>新买家：%1</source>
        <translation>New customer: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/desktop_alerts.py" line="69"/>
        <source>新买家接入，请及时回复</source>
        <translation>A new customer is here, please reply soon</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/desktop_alerts.py" line="73"/>
        <source>发来 %n 条新消息</source>
        <translation>
            <numerusform>sent %n new message</numerusform>
            <numerusform>sent %n new messages</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/desktop_alerts.py" line="74"/>
        <source>发来一条新消息</source>
        <translation>sent a new message</translation>
    </message>
</context>
<context>
    <name>DetachedPlaceholder</name>
    <message>
        <location filename="../../desktop/ui/detached_placeholder.py" line="22"/>
        <source>切换到该窗口</source>
        <translation>Go to that window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detached_placeholder.py" line="23"/>
        <source>收回到主窗口</source>
        <translation>Back to main window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detached_placeholder.py" line="41"/>
        <source>「%1」的会话已在独立窗口中打开</source>
        <translation>The chat with “%1” is open in its own window</translation>
    </message>
</context>
<context>
    <name>ImagePreviewStrip</name>
    <message>
        <location filename="../../desktop/ui/image_preview_strip.py" line="36"/>
        <source>发送图片</source>
        <translation>Send image</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/image_preview_strip.py" line="37"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/image_preview_strip.py" line="51"/>
        <source>正在处理图片…</source>
        <translation>Preparing the image…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/image_preview_strip.py" line="57"/>
        <source>图片 %1×%2，%3</source>
        <translation>Image %1×%2, %3</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../desktop/ui/image_viewer.py" line="30"/>
        <source>查看图片</source>
        <translation>View image</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/image_viewer.py" line="50"/>
        <source>图片无法显示</source>
        <translation>The image cannot be shown</translation>
    </message>
</context>
<context>
    <name>LoadStatePage</name>
    <message>
        <location filename="../../desktop/ui/load_state.py" line="21"/>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="101"/>
        <source>登录 ShopDesk</source>
        <translation>Log in to ShopDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="104"/>
        <source>例如 wss://shop.example.com</source>
        <translation>e.g. wss://shop.example.com</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="107"/>
        <source>店铺编号</source>
        <translation>Shop ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="111"/>
        <source>记住我（登录令牌保存在系统钥匙串中）</source>
        <translation>Remember me (kept in the system keychain)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="114"/>
        <source>本机没有可用的系统钥匙串，无法记住登录</source>
        <translation>No system keychain is available on this computer, so the login cannot be remembered</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="121"/>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="121"/>
        <source>店铺</source>
        <translation>Shop</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="121"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="121"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="147"/>
        <location filename="../../desktop/ui/login_dialog.py" line="354"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="149"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="161"/>
        <source>ShopDesk 客服工作台</source>
        <translation>ShopDesk Agent Workbench</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="164"/>
        <source>登录店铺后台，开始接待买家</source>
        <translation>Log in to your shop and start serving customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="213"/>
        <source>请填写服务器地址</source>
        <translation>Enter the server address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="214"/>
        <source>请填写店铺</source>
        <translation>Enter the shop</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="215"/>
        <source>请填写用户名</source>
        <translation>Enter the user name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="216"/>
        <source>请填写密码</source>
        <translation>Enter the password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="228"/>
        <source>地址无效</source>
        <translation>Invalid address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="262"/>
        <source>登录失败：程序内部错误，详情见日志</source>
        <translation>Login failed: internal error, see the log for details</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="277"/>
        <source>用户名或密码错误</source>
        <translation>Wrong user name or password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="281"/>
        <source>无法连接服务器，请检查地址和网络</source>
        <translation>Cannot reach the server, check the address and the network</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="284"/>
        <source>服务器证书无法验证：证书不受信任或与地址不符，连接可能不安全。请联系店铺管理员。</source>
        <translation>The server certificate cannot be verified: it is not trusted or does not match the address, so the connection may not be secure. Please contact your shop administrator.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="288"/>
        <source>服务器返回错误：{detail}</source>
        <translation>The server returned an error: {detail}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="298"/>
        <source>服务器地址必须以 wss:// 开头（本机可用 ws://）</source>
        <translation>The server address must start with wss:// (ws:// for this computer only)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="300"/>
        <source>服务器地址缺少主机名</source>
        <translation>The server address has no host name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="302"/>
        <source>拒绝以未加密的 ws:// 连接 %1：请使用 wss://</source>
        <translation>Refusing an unencrypted ws:// connection to %1: use wss://</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="309"/>
        <source>已取消登录</source>
        <translation>Login cancelled</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="354"/>
        <source>正在登录…</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="149"/>
        <source>在左侧选择一个会话开始接待</source>
        <translation>Choose a chat on the left to start</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="366"/>
        <source>会话</source>
        <translation>Chats</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="373"/>
        <source>退出登录…</source>
        <translation>Log out…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="374"/>
        <location filename="../../desktop/ui/main_window.py" line="845"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="377"/>
        <source>工具</source>
        <translation>Tools</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="378"/>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="381"/>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="383"/>
        <source>打开日志文件夹</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="385"/>
        <source>关于 ShopDesk</source>
        <translation>About ShopDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="419"/>
        <source>无法打开日志文件夹</source>
        <translation>Cannot open the log folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="436"/>
        <source>缓存已清除，资料会在需要时重新获取</source>
        <translation>Cache cleared, data will be fetched again when needed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="517"/>
        <source>没有排队的买家</source>
        <translation>No customers in the queue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="699"/>
        <source>状态切换失败：%1</source>
        <translation>Could not change status: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="706"/>
        <source>长时间无操作，已自动设为离开</source>
        <translation>No activity for a while, status set to Away</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="709"/>
        <source>欢迎回来，已恢复在线</source>
        <translation>Welcome back, you are Online again</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="714"/>
        <source>ShopDesk 客服工作台 - %1</source>
        <translation>ShopDesk Agent Workbench - %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="841"/>
        <source>退出 ShopDesk</source>
        <translation>Quit ShopDesk</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/main_window.py" line="842"/>
        <source>还有 %n 条消息没有送达。</source>
        <translation>
            <numerusform>%n message has not been delivered yet.</numerusform>
            <numerusform>%n messages have not been delivered yet.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="843"/>
        <source>它们会保留在本机，下次登录后自动发送。确定现在退出吗？</source>
        <translation>They are kept on this computer and sent after your next login. Quit now?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="846"/>
        <source>不退出</source>
        <translation>Don’t quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="860"/>
        <location filename="../../desktop/ui/main_window.py" line="866"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="861"/>
        <source>退出当前账号 %1？</source>
        <translation>Log out of %1?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="863"/>
        <source>下次启动需要重新输入密码。草稿和未送达的消息会保留，下次登录该账号时继续。</source>
        <translation>You will need to enter the password next time. Drafts and undelivered messages are kept and continue when you log in to this account again.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="867"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MessageKind</name>
    <message>
        <location filename="../../desktop/ui/i18n.py" line="53"/>
        <source>[图片]</source>
        <translation>[Image]</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/i18n.py" line="54"/>
        <source>[商品]</source>
        <translation>[Product]</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/i18n.py" line="55"/>
        <source>[订单]</source>
        <translation>[Order]</translation>
    </message>
</context>
<context>
    <name>NoteEditor</name>
    <message>
        <location filename="../../desktop/ui/note_editor.py" line="39"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/note_editor.py" line="46"/>
        <source>添加备注，仅客服可见</source>
        <translation>Add a note (visible to agents only)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/note_editor.py" line="91"/>
        <source>保存中…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/note_editor.py" line="93"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/note_editor.py" line="96"/>
        <source>保存失败</source>
        <translation>Could not save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/note_editor.py" line="113"/>
        <source>超出字数 {0}/{1}</source>
        <translation>Too long {0}/{1}</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../desktop/ui/notifier.py" line="135"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notifier.py" line="317"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notifier.py" line="524"/>
        <source>新买家</source>
        <translation>New customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notifier.py" line="525"/>
        <source>新消息</source>
        <translation>New message</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notifier.py" line="526"/>
        <source>超时提醒</source>
        <translation>Overdue reminder</translation>
    </message>
</context>
<context>
    <name>OrderDelegate</name>
    <message>
        <location filename="../../desktop/ui/order_delegate.py" line="123"/>
        <source>订单号 {0}</source>
        <translation>Order {0}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/order_delegate.py" line="155"/>
        <source>等 %n 件商品</source>
        <translation>
            <numerusform>%n item in total</numerusform>
            <numerusform>%n items in total</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/order_delegate.py" line="171"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/order_delegate.py" line="179"/>
        <source>运单号 {0}</source>
        <translation>Tracking {0}</translation>
    </message>
</context>
<context>
    <name>OrderStatus</name>
    <message>
        <location filename="../../desktop/ui/order_list_model.py" line="29"/>
        <source>待付款</source>
        <translation>Awaiting payment</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/order_list_model.py" line="31"/>
        <source>已付款</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/order_list_model.py" line="33"/>
        <source>已发货</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/order_list_model.py" line="35"/>
        <source>已签收</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/order_list_model.py" line="37"/>
        <source>退款中</source>
        <translation>Refunding</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/order_list_model.py" line="39"/>
        <source>已退款</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/order_list_model.py" line="40"/>
        <source>已关闭</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>OrdersPanel</name>
    <message>
        <location filename="../../desktop/ui/orders_panel.py" line="55"/>
        <source>发送订单卡片</source>
        <translation>Send order card</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/orders_panel.py" line="58"/>
        <location filename="../../desktop/ui/orders_panel.py" line="63"/>
        <source>复制单号</source>
        <translation>Copy order number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/orders_panel.py" line="107"/>
        <location filename="../../desktop/ui/orders_panel.py" line="122"/>
        <source>暂无订单</source>
        <translation>No orders</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/orders_panel.py" line="117"/>
        <source>正在加载订单…</source>
        <translation>Loading orders…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/orders_panel.py" line="125"/>
        <source>加载订单失败：{0}</source>
        <translation>Could not load orders: {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/orders_panel.py" line="146"/>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/orders_panel.py" line="153"/>
        <source>先在上方选择一个订单</source>
        <translation>Select an order above first</translation>
    </message>
</context>
<context>
    <name>OverduePopup</name>
    <message>
        <location filename="../../desktop/ui/overdue_popup.py" line="72"/>
        <source>已等 %1</source>
        <translation>Waiting %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/overdue_popup.py" line="225"/>
        <source>回复</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/overdue_popup.py" line="269"/>
        <source>买家等待已超过红色时限，最久的在最上面</source>
        <translation>These customers have waited past the red limit, longest first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/overdue_popup.py" line="294"/>
        <source>处理最久的</source>
        <translation>Open longest waiting</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/overdue_popup.py" line="298"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/overdue_popup.py" line="315"/>
        <source>超时未回复 (%1)</source>
        <translation>Overdue (%1)</translation>
    </message>
</context>
<context>
    <name>QuickReplyEditor</name>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="39"/>
        <source>编辑短语</source>
        <translation>Edit quick reply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="39"/>
        <source>新增短语</source>
        <translation>New quick reply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="47"/>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="107"/>
        <source>常用</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="50"/>
        <source>如 tk，输入 /tk 即可找到</source>
        <translation>e.g. tk, then type /tk to find it</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="52"/>
        <source>短语内容，可使用 {customer.nickname}、{order.id}</source>
        <translation>Reply text; you can use {customer.nickname}, {order.id}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="60"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="61"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="73"/>
        <source>分组</source>
        <translation>Group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="74"/>
        <source>快捷键</source>
        <translation>Shortcut</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="75"/>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="89"/>
        <source>请填写短语内容</source>
        <translation>Enter the reply text</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="91"/>
        <source>内容最多 {0} 字（现在 {1} 字）</source>
        <translation>At most {0} characters (now {1})</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_editor.py" line="93"/>
        <source>分组名最多 {0} 字</source>
        <translation>Group names have at most {0} characters</translation>
    </message>
</context>
<context>
    <name>QuickReplyPanel</name>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="113"/>
        <source>搜索短语 / 快捷键 / 拼音首字母</source>
        <translation>Search text / shortcut / pinyin initials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="125"/>
        <source>团队</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="126"/>
        <source>个人</source>
        <translation>Personal</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="146"/>
        <source>新增</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="147"/>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="374"/>
        <source>新增个人短语</source>
        <translation>Add a personal quick reply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="149"/>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="368"/>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="151"/>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="337"/>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="370"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="182"/>
        <source>正在加载…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="213"/>
        <source>未分组</source>
        <translation>Ungrouped</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="228"/>
        <source>还没有个人短语，点“新增”添加</source>
        <translation>No personal quick replies yet, click “Add” to create one</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="228"/>
        <source>暂无团队短语</source>
        <translation>No team quick replies</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="248"/>
        <source>没有找到匹配的短语</source>
        <translation>No matching quick replies</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="313"/>
        <source>常用</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="331"/>
        <source>删除短语</source>
        <translation>Delete quick reply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="333"/>
        <source>确定删除这条个人短语吗？</source>
        <translation>Delete this personal quick reply?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="338"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="361"/>
        <source>插入到输入框</source>
        <translation>Insert into message</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_panel.py" line="363"/>
        <source>直接发送</source>
        <translation>Send now</translation>
    </message>
</context>
<context>
    <name>QuickReplyPicker</name>
    <message>
        <location filename="../../desktop/ui/quick_reply_picker.py" line="81"/>
        <source>没有匹配的快捷短语</source>
        <translation>No matching quick replies</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_reply_picker.py" line="89"/>
        <source>正在加载快捷短语…</source>
        <translation>Loading quick replies…</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <location filename="../../desktop/ui/search_dialog.py" line="156"/>
        <source>搜索聊天记录</source>
        <translation>Search chat history</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_dialog.py" line="163"/>
        <source>搜索全部聊天记录，如：退款、尺码、顺丰</source>
        <translation>Search all chat history, e.g. refund, size, SF Express</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_dialog.py" line="203"/>
        <source>正在搜索…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_dialog.py" line="214"/>
        <source>输入任意文字，一两个字也能搜</source>
        <translation>Type any text, even one or two characters</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/search_dialog.py" line="216"/>
        <source>没有找到</source>
        <translation>Nothing found</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/search_dialog.py" line="218"/>
        <source>最近的 %n 条结果</source>
        <translation>
            <numerusform>The latest %n result</numerusform>
            <numerusform>The latest %n results</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/search_dialog.py" line="220"/>
        <source>找到 %n 条</source>
        <translation>
            <numerusform>%n found</numerusform>
            <numerusform>%n found</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SensitiveWarningBar</name>
    <message>
        <location filename="../../desktop/ui/sensitive_warning_bar.py" line="23"/>
        <source>仍然发送</source>
        <translation>Send anyway</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sensitive_warning_bar.py" line="24"/>
        <source>返回修改</source>
        <translation>Edit message</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sensitive_warning_bar.py" line="36"/>
        <source>、</source>
        <comment>between the words found</comment>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sensitive_warning_bar.py" line="37"/>
        <source>包含敏感词：%1，请修改后发送</source>
        <translation>Contains restricted words: %1. Please edit before sending</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="194"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="286"/>
        <source>无法打开文件夹：%1</source>
        <translation>Cannot open the folder: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="293"/>
        <location filename="../../desktop/ui/settings_dialog.py" line="419"/>
        <source>清除缓存</source>
        <translation>Clear cache</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="294"/>
        <source>确定要清除缓存吗？
头像和图片缩略图会在需要时重新下载，聊天记录不受影响。</source>
        <translation>Clear the cache?
Avatars and image thumbnails are downloaded again when needed; chat history is kept.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="318"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="319"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="320"/>
        <source>应用</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="321"/>
        <source>恢复默认</source>
        <translation>Restore Defaults</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="323"/>
        <source>把本页的设置恢复为默认值</source>
        <translation>Reset the settings on this page to their defaults</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="416"/>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="421"/>
        <source>清除头像和图片缩略图，需要时会重新下载；聊天记录不受影响。</source>
        <translation>Removes avatars and image thumbnails, downloaded again when needed; chat history is kept.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="426"/>
        <source>数据文件夹</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="428"/>
        <source>聊天记录、草稿和快捷短语的本地副本保存在这里。</source>
        <translation>The local copy of chat history, drafts and quick replies is kept here.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="432"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="436"/>
        <source>日志文件夹</source>
        <translation>Log folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="438"/>
        <source>遇到问题时，可以把这里的日志文件发给技术支持。</source>
        <translation>If something goes wrong, send the log files from here to support.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../desktop/ui/shortcuts_dialog.py" line="24"/>
        <source>主窗口</source>
        <translation>Main window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts_dialog.py" line="25"/>
        <source>独立会话窗口</source>
        <translation>Chat window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts_dialog.py" line="26"/>
        <source>主窗口和独立会话窗口</source>
        <translation>Main and chat windows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts_dialog.py" line="33"/>
        <source>快捷键</source>
        <translation>Keyboard Shortcuts</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts_dialog.py" line="36"/>
        <source>按键</source>
        <translation>Keys</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts_dialog.py" line="36"/>
        <source>作用</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts_dialog.py" line="36"/>
        <source>在哪里</source>
        <translation>Where</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <location filename="../../desktop/ui/side_panel.py" line="34"/>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/side_panel.py" line="35"/>
        <location filename="../../desktop/ui/side_panel.py" line="46"/>
        <source>订单</source>
        <translation>Orders</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/side_panel.py" line="36"/>
        <location filename="../../desktop/ui/side_panel.py" line="54"/>
        <source>快捷短语</source>
        <translation>Quick replies</translation>
    </message>
</context>
<context>
    <name>TagChip</name>
    <message>
        <location filename="../../desktop/ui/tag_editor.py" line="38"/>
        <source>删除标签</source>
        <translation>Remove tag</translation>
    </message>
</context>
<context>
    <name>TagEditor</name>
    <message>
        <location filename="../../desktop/ui/tag_editor.py" line="127"/>
        <source>标签已满</source>
        <translation>Tags full</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_editor.py" line="129"/>
        <source>+ 标签</source>
        <translation>+ Tag</translation>
    </message>
</context>
<context>
    <name>TeamActions</name>
    <message>
        <location filename="../../desktop/ui/team_actions.py" line="52"/>
        <source>接入失败：%1</source>
        <translation>Could not accept: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/team_actions.py" line="129"/>
        <source>转接失败：%1</source>
        <translation>Could not transfer: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/team_actions.py" line="169"/>
        <source>结束会话失败：%1</source>
        <translation>Could not end the chat: %1</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="34"/>
        <source>挂起</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="36"/>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="37"/>
        <source>忙碌</source>
        <translation>Busy</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="38"/>
        <source>离开</source>
        <translation>Away</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="39"/>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="52"/>
        <source>转接会话</source>
        <translation>Transfer chat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="54"/>
        <source>把与「%1」的会话转给：</source>
        <translation>Transfer the chat with “%1” to:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="58"/>
        <source>没有可以转接的同事</source>
        <translation>No colleague available for a transfer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="60"/>
        <source>留言给同事（可选），如：买家要换货，已核对订单</source>
        <translation>Note for your colleague (optional), e.g. wants an exchange, order checked</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="65"/>
        <source>转接</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="66"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="85"/>
        <source>%1/%2 接待中</source>
        <translation>%1/%2 chats</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <location filename="../../desktop/ui/tray.py" line="114"/>
        <source>显示主窗口</source>
        <translation>Show main window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="116"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="170"/>
        <source>ShopDesk · 未读 %1 · 排队 %2</source>
        <translation>ShopDesk · %1 unread · %2 in queue</translation>
    </message>
</context>
<context>
    <name>WorkbenchStatusBar</name>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="52"/>
        <source>立即重连</source>
        <translation>Reconnect now</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="60"/>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="60"/>
        <source>忙碌</source>
        <translation>Busy</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="60"/>
        <source>离开</source>
        <translation>Away</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="60"/>
        <source>挂起</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="62"/>
        <source>接收新分配的买家</source>
        <translation>Receive new customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="63"/>
        <source>忙碌中，不分配新买家</source>
        <translation>Busy: no new customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="64"/>
        <source>暂时离开，不分配新买家</source>
        <translation>Away: no new customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="65"/>
        <source>挂起：保持在线、继续接待当前买家，但不分配新买家</source>
        <translation>Suspended: stay online and keep current chats, but get no new customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="100"/>
        <source>已连接</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="102"/>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="105"/>
        <source>连接断开，%1 秒后重连</source>
        <translation>Disconnected, retrying in %1 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="107"/>
        <source>登录已失效，请重新登录</source>
        <translation>Session expired, please log in again</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="109"/>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/workbench_status_bar.py" line="129"/>
        <source>排队 %n 人</source>
        <translation>
            <numerusform>%n in queue</numerusform>
            <numerusform>%n in queue</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="146"/>
        <source>平均首响 %1</source>
        <translation>Avg. first response %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="147"/>
        <source>3分钟响应率 %1</source>
        <translation>3-min response rate %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="148"/>
        <source>评分 %1</source>
        <translation>Rating %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/workbench_status_bar.py" line="149"/>
        <source>已回复 %1</source>
        <translation>Replies %1</translation>
    </message>
</context>
<context>
    <name>_Session</name>
    <message>
        <location filename="../../desktop/ui/app.py" line="244"/>
        <source>登录已失效，请重新登录</source>
        <translation>Your login has expired. Please log in again.</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="121"/>
        <source>常规</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="122"/>
        <source>通知与声音</source>
        <translation>Notifications &amp; sounds</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="123"/>
        <source>外观</source>
        <translation>Appearance</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="124"/>
        <source>数据</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="125"/>
        <source>高级</source>
        <translation>Advanced</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="128"/>
        <source>秒</source>
        <translation>s</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="129"/>
        <source>分钟</source>
        <translation>min</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="144"/>
        <source>按回车键发送消息</source>
        <translation>Press Enter to send</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="145"/>
        <source>关闭后按 Ctrl+回车 发送，回车换行。</source>
        <translation>When off, Ctrl+Enter sends and Enter starts a new line.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="151"/>
        <source>关闭主窗口时最小化到托盘</source>
        <translation>Keep running in the tray when the main window is closed</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="152"/>
        <source>程序在后台继续接收消息，点击托盘图标可重新打开。</source>
        <translation>ShopDesk keeps receiving messages; click the tray icon to open it again.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="159"/>
        <source>无操作自动切换为“离开”</source>
        <translation>Switch to “Away” when idle</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="160"/>
        <source>在 ShopDesk 的窗口里没有按键或点击超过这段时间后，状态自动变为离开；回来后恢复在线。</source>
        <translation>After this long without a key press or click in ShopDesk, your status becomes Away; it is Online again when you come back.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="166"/>
        <source>从不</source>
        <translation>Never</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="174"/>
        <source>买家等待变黄</source>
        <translation>Customer wait turns amber</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="175"/>
        <source>买家等待超过这个时间，会话列表中显示黄色。</source>
        <translation>A customer waiting longer than this is shown in amber in the chat list.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="185"/>
        <source>买家等待变红</source>
        <translation>Customer wait turns red</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="186"/>
        <source>超过这个时间显示红色并开始超时提醒，须长于变黄时间。</source>
        <translation>Longer than this shows red and starts overdue reminders; must be longer than amber.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="196"/>
        <source>显示桌面通知</source>
        <translation>Show desktop notifications</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="197"/>
        <source>会话不在前台时，在屏幕角落弹出提示。</source>
        <translation>A pop-up in the corner of the screen when the chat is not in front.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="203"/>
        <location filename="../../desktop/core/settings_registry.py" line="231"/>
        <source>新买家进线</source>
        <translation>New customer</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="210"/>
        <location filename="../../desktop/core/settings_registry.py" line="238"/>
        <source>新消息</source>
        <translation>New message</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="217"/>
        <source>在通知中显示消息内容</source>
        <translation>Show the message in notifications</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="218"/>
        <source>关闭后只显示买家昵称，旁人看不到聊天内容。</source>
        <translation>When off, only the customer’s nickname is shown, so others cannot read the chat.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="225"/>
        <source>播放提示音</source>
        <translation>Play sounds</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="245"/>
        <source>买家等待超时</source>
        <translation>Customer overdue</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="253"/>
        <source>超时提醒间隔</source>
        <translation>Overdue reminder every</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="254"/>
        <source>有买家等待超过变红时间时，每隔这么久提醒一次。</source>
        <translation>While a customer waits past the red limit, remind me this often.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="265"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="273"/>
        <source>主题</source>
        <translation>Theme</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="274"/>
        <source>“跟随系统”会随系统的深色模式切换。</source>
        <translation>“System” follows the system’s dark mode.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="276"/>
        <source>浅色</source>
        <translation>Light</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="277"/>
        <source>深色</source>
        <translation>Dark</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="278"/>
        <location filename="../../desktop/core/settings_registry.py" line="291"/>
        <source>跟随系统</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="286"/>
        <source>字号</source>
        <translation>Font size</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="287"/>
        <source>聊天和列表文字的大小。</source>
        <translation>The size of the text in chats and lists.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="300"/>
        <source>日志详细程度</source>
        <translation>Log detail</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="301"/>
        <source>排查问题时可改为“详细”，平时保持“一般”即可。</source>
        <translation>Choose “Detailed” when tracking down a problem; “Normal” is fine otherwise.</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="303"/>
        <source>详细</source>
        <translation>Detailed</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="304"/>
        <source>一般</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="305"/>
        <source>仅警告和错误</source>
        <translation>Warnings and errors only</translation>
    </message>
    <message>
        <location filename="../../desktop/core/settings_registry.py" line="316"/>
        <source>“买家等待变红”的时间必须长于“买家等待变黄”。</source>
        <translation>“Customer wait turns red” must be longer than “Customer wait turns amber”.</translation>
    </message>
</context>
<context>
    <name>shortcuts</name>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="41"/>
        <source>下一个会话</source>
        <translation>Next chat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="42"/>
        <source>上一个会话</source>
        <translation>Previous chat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="37"/>
        <source>切换到列表第 %1 个会话</source>
        <translation>Go to chat %1 in the list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="44"/>
        <source>光标移到输入框</source>
        <translation>Focus the message box</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="45"/>
        <source>搜索全部聊天记录</source>
        <translation>Search all chat history</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="46"/>
        <source>接入下一位排队买家</source>
        <translation>Accept the next customer in the queue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="47"/>
        <source>转接当前会话</source>
        <translation>Transfer the current chat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="48"/>
        <source>结束当前会话</source>
        <translation>End the current chat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="38"/>
        <source>在新窗口中打开 / 收回到主窗口</source>
        <translation>Open in new window / back to main window</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="50"/>
        <source>显示或隐藏客户资料</source>
        <translation>Show or hide customer info</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="51"/>
        <source>快捷键一览</source>
        <translation>Keyboard shortcuts</translation>
    </message>
</context>
</TS>
