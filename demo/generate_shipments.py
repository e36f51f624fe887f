#!/usr/bin/env python3
"""Writes demo/shipments.csv: a few hundred FICTIONAL shipment lines for `dualtrace demo`.

Deterministic (fixed seed): running it again gives the same file. The committed CSV is plain
data; this script only documents how it was made. Every party, identifier and address is
invented (see demo/README.md). The first 30 lines are the original hand-written demo lines.
"""
import csv
import io
import random
from pathlib import Path

HEADER = ["date", "consignor", "consignor_country", "consignor_id", "consignor_address",
          "consignee", "consignee_country", "consignee_id", "consignee_address", "notify_party",
          "origin_country", "dispatch_country", "destination_country", "hs_code", "description",
          "value", "currency", "quantity", "unit"]

# (name, country, id, address)
LISTED_SHIPPERS = [
    ("Shenzhen Lingfeng Electronic Technology Co Ltd", "CN", "91440300MA5DEMO01X", ""),
    ("深圳市凌风电子科技有限公司", "CN", "", "深圳市南山区"),
    ("Kestrel Micro Trading Ltd", "HK", "", ""),
    ("KESTREL MICRO TRADING LIMITED", "HK", "", "Room 1801, 18/F, Fictional Tower, 1 Demo Road, Kowloon"),
    ("Altair Logistics FZE", "AE", "0000DEMO", ""),
    ("Tokmok Promsnab OSOO", "KG", "01234202310001", ""),
    ("Anatolia Makine Dış Ticaret A.Ş.", "TR", "", ""),
    ("Almaty Tech Supply TOO", "KZ", "990000000001", ""),
    ("ТОО «Алматы Тех Саплай»", "KZ", "", ""),
    ("Hong Kong Bright Star Electronics Limited", "HK", "HKDEMO0001", ""),
    ("香港明星電子有限公司", "HK", "", ""),
]
# Unlisted shippers of critical goods in the hubs.
HUB_SHIPPERS = [
    ("Bishkek Trade Hub OSOO", "KG", "", "Chui Ave 100, Bishkek"),
    ("Tashkent Elektron Savdo MChJ", "UZ", "", "Amir Temur 5, Tashkent"),
    ("Dubai Sky Drones Trading LLC", "AE", "", "Office 12, Deira, Dubai"),
    ("Suzhou Photon Optics Co Ltd", "CN", "91320500MA1DEMO77", ""),
    ("Harbin Northern Trading Co Ltd", "CN", "", ""),
    ("Shenzhen Huaxin Microelectronics Co Ltd", "CN", "91440300MA5DEMO22Q", ""),
    ("Hong Kong Wing Lee Components Limited", "HK", "", "Flat B, 7/F, Demo Industrial Building, Kwun Tong"),
    ("Istanbul Elektronik Bileşen Ticaret AŞ", "TR", "", ""),
    ("Almaty Digital Trade TOO", "KZ", "", ""),
    ("Yerevan Chip Import LLC", "AM", "", ""),
    ("Tbilisi Tech Bridge LLC", "GE", "", ""),
    ("Ningbo Sunrise Machinery Co Ltd", "CN", "", ""),
    ("Guangzhou Pearl River Bearings Co Ltd", "CN", "", ""),
    ("Jiangsu Nitro Chemical Co Ltd", "CN", "", ""),
    ("Xiamen Ocean Star Import Export Co Ltd", "CN", "", ""),
    ("Sharjah Gulf Components FZC", "AE", "", ""),
]
# Look-alike names of listed parties that are different companies (must not match).
DECOYS = [
    ("Lingfeng Garden Supplies Co Ltd", "CN", "", ""),
    ("Kestrel Garden Furniture Ltd", "HK", "", ""),
    ("Anatolia Carpet Weavers AS", "TR", "", ""),
    ("Almaty Bakery Supply TOO", "KZ", "", ""),
]
BENIGN_SHIPPERS = [
    ("Istanbul Hazelnut Export AS", "TR", "", ""),
    ("Yerevan Fruit Export LLC", "AM", "", ""),
    ("Qingdao Seaside Textiles Co Ltd", "CN", "", ""),
    ("Izmir Textile Mills AS", "TR", "", ""),
    ("Tbilisi Wine Cellars LLC", "GE", "", ""),
    ("Tashkent Cotton Export MChJ", "UZ", "", ""),
    ("Fujian Evergreen Tea Co Ltd", "CN", "", ""),
    ("Mersin Citrus Export AS", "TR", "", ""),
]
WEST_SHIPPERS = [
    ("Nordic Garden Tools AB", "SE", "", ""),
    ("Munich Precision Instruments GmbH", "DE", "", ""),
    ("Rotterdam Coffee Traders BV", "NL", "", ""),
    ("Lyon Pharma Distribution SARL", "FR", "", ""),
]
RU_CONSIGNEES = [  # unlisted Russian buyers
    ("OOO Volga Komplekt Demo", "RU", "6300000003", "ul. Samarskaya 10, Samara"),
    ("AO Ural Elektronika Demo", "RU", "6600000004", ""),
    ("OOO Tekhnomash Demo", "RU", "7700000099", ""),
    ("OOO Vostok Aero Demo", "RU", "7700000777", ""),
    ("ООО «Сибирь Электроника Демо»", "RU", "5400000011", ""),
    ("OOO Radiodetal Demo", "RU", "7800000012", ""),
    ("Minsk Optika Demo OAO", "BY", "", ""),
]
LISTED_CONSIGNEES = [
    ("OOO Zarya Optronika", "RU", "7700000001", ""),
    ("ООО «Заря Оптроника»", "RU", "", ""),
    ("OOO Zaria Optronika", "RU", "", ""),
    ("Izhevsk Pribor Zavod AO", "RU", "1800000002", ""),
    ("АО «Ижевский приборный завод»", "RU", "", ""),
]
# A front: other name, the listed Zarya Optronika's INN.
ID_FRONT = ("OOO Polyarnaya Zvezda Servis", "RU", "7700000001", "")
# Another name at the listed Zarya Optronika's address.
ADDRESS_FRONT = ("OOO Severnoe Siyanie Torg", "RU", "", "ul. Vymyshlennaya 1, Moscow, 101000")
FORWARDERS = [
    ("Silk Road Freight Forwarding OsOO", "KG", "", "Bishkek"),
    ("Eurasia Cargo Logistics TOO", "KZ", "", "Almaty"),
    ("Caucasus Express Logistics LLC", "AM", "", "Yerevan"),
]
BENIGN_RU = [
    ("OOO Vkusno Demo", "RU", "7700000456", ""),
    ("OOO Moskva Moda Demo", "RU", "7700000123", ""),
    ("OOO Avtodetal Demo", "RU", "7700000999", ""),
    ("OOO Dacha Demo", "RU", "7700000888", ""),
    ("OOO Zarya Khleb", "RU", "7700001234", "ul. Lesnaya 4, Tula"),
]
WEST_CONSIGNEES = [
    ("Bauhof Demo GmbH", "DE", "", ""),
    ("Lyon Labo Demo SARL", "FR", "", ""),
    ("Milano Caffe Demo SRL", "IT", "", ""),
]

CRITICAL = [  # (hs, description, unit price USD, unit)
    ("8542.31.0000", "Microcontroller STM32F407VGT6", 4.0, "pcs"),
    ("8542.31", "Microcontrollers ATmega2560-16AU", 6.5, "pcs"),
    ("854232", "DRAM memory chips DDR4 8Gb", 5.5, "pcs"),
    ("8542.39", "FPGA XC7A100T-1CSG324C", 120.0, "pcs"),
    ("8542.33", "Operational amplifier AD8066ARZ", 1.7, "pcs"),
    ("8532.24", "Multilayer ceramic capacitors (MLCC) 0603 X7R", 0.02, "pcs"),
    ("852691", "GNSS receiver module u-blox NEO-M8N", 22.0, "pcs"),
    ("851762", "Ethernet switch modules", 84.0, "pcs"),
    ("8541.29", "Power transistors IRFZ44N", 0.3, "pcs"),
    ("848210", "Ball bearings deep groove 6204", 0.5, "pcs"),
    ("8457.10", "CNC vertical machining centre 5-axis", 205000.0, "units"),
    ("8458.11", "CNC horizontal lathe", 76000.0, "units"),
    ("8525.89", "Thermal imaging camera cores", 450.0, "units"),
    ("3912.20", "Nitrocellulose (cellulose nitrate) 12.2% N", 2.2, "kg"),
    ("8806.22", "Unmanned aircraft quadcopter max take-off weight 2 kg", 400.0, "units"),
]
MISDECLARED = [
    ("8473.30", "Микроконтроллер STM32F103C8T6", 2.5, "pcs"),
    ("8471.50", "Processing units with ATmega2560-16AU controllers", 90.0, "units"),
    ("8473.30", "Parts of computers: Xilinx XC7Z020 Zynq SoC boards", 190.0, "pcs"),
    ("8543.70", "Electronic modules with 微控制器 GD32F103", 3.0, "pcs"),
]
BENIGN = [
    ("0802.22", "Shelled hazelnuts", 6.2, "kg"),
    ("0806.10", "Fresh grapes", 0.8, "kg"),
    ("6204.62", "Women's cotton trousers", 3.0, "pcs"),
    ("6109.10", "Cotton T-shirts", 1.8, "pcs"),
    ("2204.21", "Red wine in bottles", 3.5, "l"),
    ("0902.30", "Black tea", 4.0, "kg"),
    ("0805.10", "Fresh oranges", 0.7, "kg"),
    ("8708.30", "Brake pads for passenger cars", 3.9, "sets"),
    ("5201.00", "Raw cotton", 1.6, "kg"),
    ("9403.60", "Wooden office furniture", 55.0, "pcs"),
]
WEST_GOODS = [
    ("8201.40", "Axes and hatchets for garden use", 11.0, "pcs"),
    ("0901.11", "Green coffee beans", 2.5, "kg"),
    ("3004.90", "Medicaments in packaged doses", 12.0, "pcs"),
]


def line(rng, date, shipper, consignee, goods, origin=None, dispatch=None, dest=None, notify=""):
    hs, desc, price, unit = goods
    qty = rng.choice([1, 2, 3, 5, 10, 40, 100, 250, 500, 1000, 2000, 5000, 10000, 20000])
    if price > 10000:
        qty = rng.choice([1, 2, 3])
    value = max(100, round(qty * price * rng.uniform(0.8, 1.3)))
    return [date, shipper[0], shipper[1], shipper[2], shipper[3],
            consignee[0], consignee[1], consignee[2], consignee[3], notify,
            origin or shipper[1], dispatch or shipper[1], dest or consignee[1],
            hs, desc, str(value), "USD" if shipper[1] not in ("SE", "DE", "NL", "FR") else "EUR",
            str(qty), unit]


def main():
    rng = random.Random(20241129)
    here = Path(__file__).parent
    # The original hand-written lines stay first (the script keeps them on every run).
    original = list(csv.DictReader(io.StringIO((here / "shipments.csv").read_text())))[:30]
    rows = []
    for r in original:
        rows.append([r.get(h, "") for h in HEADER])
    def date():
        return f"2024-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}"
    scenarios = [
        (30, lambda: line(rng, date(), rng.choice(BENIGN_SHIPPERS), rng.choice(BENIGN_RU), rng.choice(BENIGN))),
        (10, lambda: line(rng, date(), rng.choice(WEST_SHIPPERS), rng.choice(WEST_CONSIGNEES), rng.choice(WEST_GOODS))),
        (26, lambda: line(rng, date(), rng.choice(HUB_SHIPPERS), rng.choice(RU_CONSIGNEES), rng.choice(CRITICAL),
                          origin=rng.choice(["US", "CN", "TW", "MY", "DE", "JP", None]))),
        (9, lambda: line(rng, date(), rng.choice(LISTED_SHIPPERS), rng.choice(RU_CONSIGNEES + BENIGN_RU), rng.choice(CRITICAL),
                         origin=rng.choice(["US", "CN", None]))),
        (9, lambda: line(rng, date(), rng.choice(HUB_SHIPPERS), rng.choice(LISTED_CONSIGNEES), rng.choice(CRITICAL + BENIGN))),
        (3, lambda: line(rng, date(), rng.choice(HUB_SHIPPERS), ID_FRONT, rng.choice(CRITICAL))),
        (3, lambda: line(rng, date(), rng.choice(HUB_SHIPPERS), ADDRESS_FRONT, rng.choice(CRITICAL))),
        (6, lambda: line(rng, date(), rng.choice(HUB_SHIPPERS + BENIGN_SHIPPERS), rng.choice(RU_CONSIGNEES), rng.choice(MISDECLARED))),
        (5, lambda: line(rng, date(), ("Shenzhen Huaxin Microelectronics Co Ltd", "CN", "91440300MA5DEMO22Q", ""),
                         rng.choice(FORWARDERS), rng.choice(CRITICAL[:9]), origin=rng.choice(["CN", "US"]),
                         notify=rng.choice(["OOO Radiodetal Demo", ""]))),
        (8, lambda: line(rng, date(), rng.choice(DECOYS), rng.choice(BENIGN_RU), rng.choice(BENIGN))),
        (2, lambda: line(rng, date(), rng.choice(WEST_SHIPPERS), rng.choice(HUB_SHIPPERS), rng.choice(CRITICAL[:12]),
                         dest=None)),
    ]
    total = sum(w for w, _ in scenarios)
    while len(rows) < 330:
        pick = rng.uniform(0, total)
        for w, make in scenarios:
            pick -= w
            if pick <= 0:
                rows.append(make())
                break
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    (here / "shipments.csv").write_text(out.getvalue())


if __name__ == "__main__":
    main()
