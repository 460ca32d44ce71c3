-- wrk script: POST a what-if request with weights that change the ranking.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"weights":{"RD":40,"IND":30,"PUB":10,"POL":20},"aggregate":"arithmetic"}'
